import { writeFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { readCounts, readEvents } from '../../src/data/index.js';
import { int64FitsDouble, int64Text } from '../../src/data/int64-text.js';
import { TempFiles, lines } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const T = Date.UTC(2023, 5, 1, 12);

/** The reference: each value's words and BigInt's own decimal text. */
function words(values: bigint[], signed: boolean): Int32Array {
  const a = signed ? BigInt64Array.from(values) : BigUint64Array.from(values);
  return new Int32Array(a.buffer);
}

function texts(values: bigint[], signed: boolean): string[] {
  const { offsets, bytes } = int64Text(words(values, signed), values.length, signed);
  const dec = new TextDecoder();
  return values.map((_, i) => dec.decode(bytes.subarray(offsets[i], offsets[i + 1])));
}

function parquet(table: arrow.Table, name: string): string {
  const file = tmp.path(name);
  writeFileSync(file, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))));
  return file;
}

const TWO53 = 2n ** 53n;

describe('64-bit integer ids', () => {
  it('spell every value as BigInt does, edges and random words alike', () => {
    const edges = [0n, 1n, -1n, 9n, 10n, -10n, 9999n, 10000n, 65535n, 65536n, TWO53 - 1n, TWO53, TWO53 + 1n, -TWO53, -TWO53 - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, -(2n ** 32n), 10n ** 18n];
    expect(texts(edges, true)).toEqual(edges.map(String));
    const unsigned = [0n, 1n, TWO53 + 1n, 2n ** 63n, 2n ** 64n - 1n, 10n ** 19n, 18446744073709551615n];
    expect(texts(unsigned, false)).toEqual(unsigned.map(String));

    let seed = 12345;
    const rand32 = (): bigint => BigInt(((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 0));
    const random = Array.from({ length: 2000 }, () => (rand32() << 32n) | rand32());
    expect(texts(random.map((v) => BigInt.asIntN(64, v)), true)).toEqual(random.map((v) => String(BigInt.asIntN(64, v))));
    expect(texts(random, false)).toEqual(random.map(String));
    expect(texts([], true)).toEqual([]);
  });

  it('tell values a double holds exactly from those it would round', () => {
    expect(int64FitsDouble(words([0n, -TWO53, TWO53 - 1n], true), 3, true)).toBe(true);
    expect(int64FitsDouble(words([TWO53], true), 1, true)).toBe(false);
    expect(int64FitsDouble(words([-TWO53 - 1n], true), 1, true)).toBe(false);
    expect(int64FitsDouble(words([TWO53 - 1n], false), 1, false)).toBe(true);
    expect(int64FitsDouble(words([2n ** 64n - 1n], false), 1, false)).toBe(false);
    expect(int64FitsDouble(words([], true), 0, true)).toBe(true);
  });

  it('keep ids beyond 2^53 apart in Parquet and Arrow events, as a CSV of the same ids reads them', async () => {
    // 2^53 and 2^53 + 1 are one double: read as numbers they would be one listener.
    const big = [TWO53, TWO53 + 1n, 2n ** 63n - 1n, -(2n ** 63n), TWO53];
    const table = new arrow.Table({
      user_id: arrow.vectorFromArray(big, new arrow.Int64()),
      track_id: arrow.vectorFromArray([TWO53 + 3n, TWO53 + 2n, 5n, 5n, null], new arrow.Int64()),
      timestamp: arrow.vectorFromArray([T, T + 1, T + 2, T + 3, T + 4], new arrow.Float64()),
    });
    const csv = tmp.write('big.csv', lines('user_id,track_id,timestamp', ...big.map((u, i) => `${u},${[TWO53 + 3n, TWO53 + 2n, 5n, 5n, ''][i]},${T + i}`)));
    const fromCsv = await readEvents(csv);
    expect(fromCsv.log.users.ids).toEqual(['9007199254740992', '9007199254740993', '9223372036854775807', '-9223372036854775808']);

    for (const file of [parquet(table, 'big.parquet'), tmp.write('big.arrow', arrow.tableToIPC(table, 'file'))]) {
      const { log, report } = await readEvents(file);
      expect(log.users.ids).toEqual(fromCsv.log.users.ids);
      expect(log.tracks.ids).toEqual(['9007199254740995', '9007199254740994', '5']);
      expect(Array.from(log.user)).toEqual([0, 1, 2, 3]);
      expect(Array.from(log.track)).toEqual([0, 1, 2, 2]);
      expect(report.validation.missing_id).toBe(1);
    }
  });

  it('name an id the same whether its batch held only small ids or also large ones', async () => {
    // Two record batches: the first all small (read as numbers), the second with a large id.
    const batch = (users: bigint[]): arrow.RecordBatch =>
      new arrow.Table({
        user_id: arrow.vectorFromArray(users, new arrow.Int64()),
        track_id: arrow.vectorFromArray(users.map(() => 'x'), new arrow.Utf8()),
        timestamp: arrow.vectorFromArray(users.map((_, i) => T + i), new arrow.Float64()),
      }).batches[0];
    const table = new arrow.Table([batch([7n, 8n]), batch([8n, TWO53 + 1n, 7n])]);
    const { log } = await readEvents(tmp.write('mixed.arrow', arrow.tableToIPC(table, 'file')));
    expect(log.users.ids).toEqual(['7', '8', '9007199254740993']);
    expect(Array.from(log.user)).toEqual([0, 1, 1, 2, 0]);
  });

  it('keep unsigned 64-bit ids exact, and keep them apart in counts files', async () => {
    const users = [2n ** 64n - 1n, 2n ** 64n - 2n, 3n];
    const table = new arrow.Table({
      user_id: arrow.vectorFromArray(users, new arrow.Uint64()),
      item_id: arrow.vectorFromArray([TWO53 + 1n, TWO53, TWO53 + 1n], new arrow.Int64()),
      weight: arrow.vectorFromArray([1, 2, 3], new arrow.Float64()),
    });
    const c = await readCounts(tmp.write('big-counts.arrow', arrow.tableToIPC(table, 'file')));
    expect(c.users.ids).toEqual(['18446744073709551615', '18446744073709551614', '3']);
    expect(c.items.ids).toEqual(['9007199254740993', '9007199254740992']);
    expect(Array.from(c.item)).toEqual([0, 1, 0]);
  });
});
