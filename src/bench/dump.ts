import type { Interactions } from '../types.js';
import { AtomicTextWriter } from '../util/atomic-writer.js';
import { csvField } from '../util/csv-field.js';

/** Write interactions as a counts CSV (user_id,item_id,weight) so other libraries can be timed on the same data. */
export async function dumpCounts(m: Interactions, file: string): Promise<void> {
  const out = await AtomicTextWriter.open(file);
  try {
    await out.write('user_id,item_id,weight\n');
    for (let u = 0; u < m.users.size; u++) {
      const uid = csvField(m.users.ids[u]);
      let lines = '';
      for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) lines += `${uid},${csvField(m.items.ids[m.indices[p]])},${m.weight[p]}\n`;
      await out.write(lines);
    }
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}
