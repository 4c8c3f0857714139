import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { alsHalfStep, gram, nativeAddonPath } from '../../src/native/index.js';
import { mulberry32, randomCsr, randomFloats } from '../reference/random.js';

// A plain-JS worker that solves one row shard in place over shared memory.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const native = require(workerData.addon);
native.alsHalfStep(workerData.args);
parentPort.postMessage('done');
`;

function shared<T extends Float32Array | Int32Array>(src: T): T {
  const out = new (src.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(src.byteLength));
  out.set(src);
  return out;
}

describe('alsHalfStep in worker threads over SharedArrayBuffers', () => {
  it('gives the same bits as one call when row shards are solved in two workers', async () => {
    const k = 16;
    const rng = mulberry32(314);
    const csr = randomCsr(rng, 80, 60, 0.2, { emptyRows: [7] });
    const X0 = randomFloats(rng, 80 * k, -0.1, 0.1);
    const Y = shared(randomFloats(rng, 60 * k, -0.1, 0.1));
    const base = {
      indptr: shared(csr.indptr), indices: shared(csr.indices), pref: shared(csr.pref), conf: shared(csr.conf),
      Y, YtY: shared(gram(Y, k)), factors: k, regularization: 0.05, solver: 'cg' as const, cgSteps: 3,
    };
    const whole = X0.slice();
    alsHalfStep({ ...base, X: whole, rowBegin: 0, rowEnd: 80 });

    const X = shared(X0);
    await Promise.all(
      [[0, 33], [33, 80]].map(
        ([rowBegin, rowEnd]) =>
          new Promise<void>((resolve, reject) => {
            const w = new Worker(WORKER, { eval: true, workerData: { addon: nativeAddonPath(), args: { ...base, X, rowBegin, rowEnd } } });
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    expect(Array.from(X)).toEqual(Array.from(whole));
  });
});
