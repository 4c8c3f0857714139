/** Largest finite 32-bit float: a weight above it becomes Infinity once stored as float32. */
export const MAX_FLOAT32 = 3.4028234663852886e38;
