/**
 * The QEMU-framed migration stream (format.ts lists the wire constants).
 *
 * Snapshot: `saveStreamBytes({ blockers, ramBytes, machine, sections })` → bytes, or the
 * blockers; `loadStream(bytes, host)` → `LoadResult`; `inspectStream(bytes)` → text.
 * Live migration: `new StreamWriter(send)`; header(); configuration(ramSize, machineJson);
 * ramStart(); then ramPages()/ramDirtyPages() as often as pre-copy needs (pages may repeat);
 * with the guest stopped a last ramDirtyPages(), ramEnd(), deviceSections(list), eof().
 * The destination pushes every received chunk into one `StreamLoader` and calls finish()
 * when the source says the stream is complete; RAM lands as it arrives, devices at finish.
 */
export { StreamWriter } from './writer.ts';
export type { ChunkSink, RamPartStats } from './writer.ts';
export { loadStream, StreamLoader } from './loader.ts';
export { rehearseSave, rehearseStopAndCopy } from './rehearse.ts';
export type { RehearsalScope } from './rehearse.ts';
export type { LoadHost, LoadResult, LoadStats, LoadTarget, Refusal } from './loader.ts';
export { StreamError } from './errors.ts';
export type { StreamErrorReason } from './errors.ts';
export { deviceSection, sectionKey } from './section.ts';
export type { DeviceSection } from './section.ts';
export { collectBlockers, saveStream, saveStreamBytes } from './save.ts';
export type { MigrationBlocker, SaveInput, SaveResult } from './save.ts';
export { inspectStream } from './inspect.ts';
export { STREAM_FORMAT, STREAM_FORMAT_VERSION } from './config.ts';
export type { JsonValue, StreamConfiguration } from './config.ts';
export { crc32 } from './crc32.ts';
export * from './format.ts';
