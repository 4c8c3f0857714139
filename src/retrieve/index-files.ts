/** The files an approximate-retrieval index adds to a model directory (built for that model). */
export const INDEX_FILE = 'hnsw.index';
export const INDEX_META_FILE = 'hnsw.json';
