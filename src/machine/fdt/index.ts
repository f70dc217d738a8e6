export { node, u32, u64, u64Cells, cells, ref, str, strs, bytes, empty } from './node.ts';
export type { FdtNode, PropValue, PropMap, Cell, PhandleRef } from './node.ts';
export { encodeFdt, type FdtEncodeOptions, type MemoryReservation } from './encode.ts';
export { decodeFdt, findNode, propCells, propU32, propU64, propString, propStrings } from './decode.ts';
export type { DecodedFdt, DecodedNode } from './decode.ts';
export { FDT_MAGIC, FDT_VERSION, FDT_LAST_COMP_VERSION } from './format.ts';
