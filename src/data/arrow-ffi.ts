/**
 * Typed entry to arrow-js-ffi: its own declarations do not resolve under NodeNext module
 * resolution, so the two functions used here get their signatures from this module.
 */
import * as ffiModule from 'arrow-js-ffi';
import type { Schema, Table } from 'apache-arrow';

interface ArrowJsFfi {
  parseTable(buffer: ArrayBuffer, arrayPtrs: number[] | Uint32Array, schemaPtr: number, copy?: boolean): Table;
  parseSchema(buffer: ArrayBuffer, ptr: number): Schema;
}

const ffi = ffiModule as unknown as ArrowJsFfi;

/** An Arrow JS table from C-data-interface structs in WebAssembly memory (copied out when `copy`). */
export const parseTable: ArrowJsFfi['parseTable'] = ffi.parseTable;

/** An Arrow JS schema from a C-data-interface schema struct in WebAssembly memory. */
export const parseSchema: ArrowJsFfi['parseSchema'] = ffi.parseSchema;
