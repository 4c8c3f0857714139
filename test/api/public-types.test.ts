/**
 * The module's published types reach only the libraries whose types are part of its API (Arrow
 * tables, zod's config schema) and Node's own. A worker-pool type that leaked into `train()`'s
 * signature pulled Piscina's declarations into every consumer's program, and they import their
 * package.json: a consumer compiling without skipLibCheck or resolveJsonModule failed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(import.meta.dirname, '../../dist/src');

/** Every module specifier a declaration file imports or re-exports (including `import('…')` types). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) found.push(m[1]);
  return found;
}

/** The declaration files reachable from `entry` and the packages they name. */
function declarationGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const s of specifiers(file)) {
      if (s.startsWith('.')) visit(path.resolve(path.dirname(file), s.replace(/\.js$/, '.d.ts')));
      else packages.add(s.startsWith('node:') ? 'node:' : s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
    }
  };
  visit(entry);
  return { files, packages };
}

describe('published types', () => {
  it('reach Arrow, zod and Node only', () => {
    const { files, packages } = declarationGraph(path.join(dist, 'index.d.ts'));
    expect(files.size).toBeGreaterThan(20);
    expect([...packages].filter((p) => p !== 'node:').sort()).toEqual(['apache-arrow', 'zod']);
  });

  it('finds a package named in a declaration file', () => {
    // The graph walk itself: the trainer's internal hooks do name the pool library.
    expect(declarationGraph(path.join(dist, 'train/als.d.ts')).packages).toContain('piscina');
  });
});
