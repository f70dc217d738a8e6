/**
 * State descriptions (QEMU's VMState, as declarations over a device's plain `State`).
 *
 *   export const uartDescription = describe<UartState>({
 *     name: 'uart16550', version: 1,
 *     fields: (f) => [f.u8('ier'), f.bool('thrIpending'), f.bytes('rxFifo'), f.u64n('lastTick')],
 *     subsections: [{ description: uartScratch, needed: (s) => s.scr !== 0 }],   // name 'uart16550/scratch'
 *     postLoad: (s) => (s.rxCount > s.rxFifo.length ? { field: 'rxCount', message: '...' } : undefined),
 *   });
 *
 * `saveState(d, state, writer)` writes and returns the vmdesc JSON of what it wrote;
 * `loadState(d, state, reader, version)` loads or throws a `VmStateError`. The machine lists
 * (id, instance, description, state) and src/migration/stream frames them.
 */
export { ByteReader, ByteWriter } from './bytes.ts';
export { asciiBytes, asciiString, isWireName, MAX_NAME_LENGTH } from './ascii.ts';
export { describe, fieldPresent } from './description.ts';
export type { Description, DescriptionSpec, FieldError, Subsection } from './description.ts';
export type { BoundOptions, Field, FieldBuilder, FieldCondition, KeysOfType } from './fields.ts';
export { EndOfInput, VmStateError } from './errors.ts';
export type { VmStateErrorReason } from './errors.ts';
export { saveState } from './save.ts';
export { loadState } from './load.ts';
export type { VmDesc, VmDescDevice, VmDescField, VmDescStruct, VmDescType } from './vmdesc.ts';
export { LENGTH_SUFFIX, STRUCT_END_MARKER, STRUCT_END_SUFFIX, VM_SUBSECTION } from './wire.ts';
