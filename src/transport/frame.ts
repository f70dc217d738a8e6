/**
 * The wire framing shared by every transport. One wire message is a two-element array
 * `[header, payload]` of Uint8Arrays, so a payload buffer can be transferred (MessagePort) or
 * structured-cloned (BroadcastChannel) as it is, without copying it into a fresh frame buffer
 * (first touch of fresh memory is slow, REFERENCE "Moving bytes between tabs").
 *
 * Header, 36 bytes, big-endian:
 *
 * | offset | size | field |
 * |---|---|---|
 * | 0  | 4  | magic `TVMF` (0x54564d46) |
 * | 4  | 1  | version (1) |
 * | 5  | 1  | type: DATA 1, ACK 2, CLOSE 3, HELLO 4, RETURN 5 |
 * | 6  | 2  | flags, must be 0 |
 * | 8  | 16 | migration id |
 * | 24 | 4  | sender id (random per endpoint, non-zero) |
 * | 28 | 4  | sequence number: DATA its index; ACK the count of DATA received in order; HELLO, CLOSE, RETURN 0 |
 * | 32 | 4  | payload length, equal to the payload's byteLength |
 *
 * Payloads: DATA ≤ MAX_MESSAGE_BYTES engine bytes (a view that may start a larger buffer
 * the sender gave away); ACK none; HELLO 4 bytes, the sender id of the peer this endpoint has
 * heard (0 if none yet); CLOSE a UTF-8 reason ≤ 1 KiB; RETURN a whole buffer of a DATA the
 * receiver is done with, 1 byte to MAX_RETURN_BYTES, handed back for the sender to reuse
 * (only where buffers are transferred: fresh memory costs a page fault per 4 KiB).
 *
 * Everything that arrives is untrusted: `decodeFrame` checks every field and length and
 * returns a value, never throws.
 */
import { MAX_MESSAGE_BYTES } from '../migration/channel.ts';
import { MIGRATION_ID_BYTES } from './migration-id.ts';

export const FRAME_MAGIC = 0x54564d46; // "TVMF"
export const FRAME_VERSION = 1;
export const HEADER_BYTES = 36;
export const HELLO_PAYLOAD_BYTES = 4;
/** Longest CLOSE reason on the wire; longer reasons are cut. */
export const MAX_REASON_BYTES = 1024;
/** Largest buffer a RETURN may carry (a DATA buffer: one message and some slack). */
export const MAX_RETURN_BYTES = 2 * MAX_MESSAGE_BYTES;

export const enum FrameType {
  DATA = 1,
  ACK = 2,
  CLOSE = 3,
  HELLO = 4,
  RETURN = 5,
}

const enum Offset {
  MAGIC = 0,
  VERSION = 4,
  TYPE = 5,
  FLAGS = 6,
  MIGRATION_ID = 8,
  SENDER = 24,
  SEQ = 28,
  LENGTH = 32,
}

/** What the channel layer needs of a valid frame. */
export interface Frame {
  readonly type: FrameType;
  readonly sender: number;
  readonly seq: number;
  readonly payload: Uint8Array;
}

export type Decoded =
  | { readonly kind: 'frame'; readonly frame: Frame }
  /** Not a frame of this migration: wrong shape, wrong magic, or another migration's id. */
  | { readonly kind: 'foreign'; readonly reason: string }
  /** Claims to belong to this migration (magic and id match) but breaks the format. */
  | { readonly kind: 'invalid'; readonly sender: number; readonly reason: string };

/** The wire message for one frame. */
export type WireMessage = [header: Uint8Array, payload: Uint8Array];

export function encodeHeader(
  type: FrameType,
  migrationId: Uint8Array,
  sender: number,
  seq: number,
  payloadLength: number,
): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(Offset.MAGIC, FRAME_MAGIC);
  view.setUint8(Offset.VERSION, FRAME_VERSION);
  view.setUint8(Offset.TYPE, type);
  view.setUint16(Offset.FLAGS, 0);
  header.set(migrationId, Offset.MIGRATION_ID);
  view.setUint32(Offset.SENDER, sender);
  view.setUint32(Offset.SEQ, seq);
  view.setUint32(Offset.LENGTH, payloadLength);
  return header;
}

export function helloPayload(heardPeer: number): Uint8Array {
  const payload = new Uint8Array(HELLO_PAYLOAD_BYTES);
  new DataView(payload.buffer).setUint32(0, heardPeer);
  return payload;
}

/** The peer id a valid HELLO's payload names (0: it has heard no one yet). */
export function helloHeardPeer(payload: Uint8Array): number {
  return new DataView(payload.buffer, payload.byteOffset, HELLO_PAYLOAD_BYTES).getUint32(0);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A CLOSE payload: the reason in UTF-8, cut to MAX_REASON_BYTES at a character boundary. */
export function closePayload(reason: string): Uint8Array {
  const bytes = encoder.encode(reason);
  if (bytes.length <= MAX_REASON_BYTES) return bytes;
  let end = MAX_REASON_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not cut inside a UTF-8 sequence
  return bytes.slice(0, end);
}

export function closeReason(payload: Uint8Array): string {
  try {
    return decoder.decode(payload);
  } catch {
    return '(reason not valid UTF-8)';
  }
}

function payloadLimit(type: FrameType): [min: number, max: number] | undefined {
  switch (type) {
    case FrameType.DATA:
      return [0, MAX_MESSAGE_BYTES];
    case FrameType.ACK:
      return [0, 0];
    case FrameType.CLOSE:
      return [0, MAX_REASON_BYTES];
    case FrameType.HELLO:
      return [HELLO_PAYLOAD_BYTES, HELLO_PAYLOAD_BYTES];
    case FrameType.RETURN:
      return [1, MAX_RETURN_BYTES];
    default:
      return undefined;
  }
}

/** Validates one received wire message against this migration's id. Never throws. */
export function decodeFrame(wire: unknown, migrationId: Uint8Array): Decoded {
  if (!Array.isArray(wire) || wire.length !== 2) return { kind: 'foreign', reason: 'not a [header, payload] pair' };
  const [header, payload] = wire as unknown[];
  if (!(header instanceof Uint8Array) || !(payload instanceof Uint8Array)) {
    return { kind: 'foreign', reason: 'header or payload is not a Uint8Array' };
  }
  if (header.byteLength !== HEADER_BYTES) return { kind: 'foreign', reason: `header of ${header.byteLength} bytes` };
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  if (view.getUint32(Offset.MAGIC) !== FRAME_MAGIC) return { kind: 'foreign', reason: 'bad magic' };
  for (let i = 0; i < MIGRATION_ID_BYTES; i++) {
    if (header[Offset.MIGRATION_ID + i] !== migrationId[i]) return { kind: 'foreign', reason: 'another migration id' };
  }
  const sender = view.getUint32(Offset.SENDER);
  const invalid = (reason: string): Decoded => ({ kind: 'invalid', sender, reason });
  const version = view.getUint8(Offset.VERSION);
  if (version !== FRAME_VERSION) return invalid(`frame version ${version}, expected ${FRAME_VERSION}`);
  const flags = view.getUint16(Offset.FLAGS);
  if (flags !== 0) return invalid(`reserved flags 0x${flags.toString(16)} set`);
  if (sender === 0) return invalid('sender id 0');
  const type = view.getUint8(Offset.TYPE) as FrameType;
  const limit = payloadLimit(type);
  if (limit === undefined) return invalid(`unknown frame type ${type}`);
  const length = view.getUint32(Offset.LENGTH);
  if (length !== payload.byteLength) return invalid(`length field ${length} but payload of ${payload.byteLength} bytes`);
  if (length < limit[0] || length > limit[1]) {
    return invalid(`payload of ${length} bytes outside [${limit[0]}, ${limit[1]}] for frame type ${type}`);
  }
  if (!(payload.buffer instanceof ArrayBuffer)) return invalid('payload in shared memory');
  const seq = view.getUint32(Offset.SEQ);
  if ((type === FrameType.HELLO || type === FrameType.CLOSE || type === FrameType.RETURN) && seq !== 0) {
    return invalid(`sequence number ${seq} on a frame of type ${type}`);
  }
  return { kind: 'frame', frame: { type, sender, seq, payload } };
}
