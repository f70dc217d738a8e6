/**
 * The control protocol of a live migration, on top of the QEMU-framed stream bytes. Every
 * channel message is one byte of kind followed by its payload:
 *
 *   source → destination: DATA (stream bytes), END (the stream is complete), GO (you own the
 *                         VM now: run it), CANCEL (reason)
 *   destination → source: ACCEPT (this host can build the configured machine), REFUSE (reason),
 *                         PROGRESS (stream bytes loaded so far, after every DATA), LOADED
 *                         (everything loaded and checked; waiting for GO)
 *   either way:           ERROR (reason)
 *
 * Messages come from an untrusted peer: `decodeMessage` validates kind, payload length and
 * reason text and returns a string saying why a message is refused; it never throws.
 */
import { MAX_MESSAGE_BYTES } from './channel.ts';
import { utf8Decode, utf8Encode } from './stream/utf8.ts';

export const enum MessageKind {
  DATA = 0x01,
  ACCEPT = 0x02,
  REFUSE = 0x03,
  END = 0x04,
  LOADED = 0x05,
  GO = 0x06,
  CANCEL = 0x07,
  ERROR = 0x08,
  PROGRESS = 0x09,
}

/** Longest reason text, in UTF-8 bytes (longer reasons are cut on encode, refused on decode). */
export const MAX_REASON_BYTES = 4096;
/** PROGRESS payload: the count of stream bytes loaded, big-endian u64 (below 2^53). */
export const PROGRESS_PAYLOAD_BYTES = 8;
const TWO_32 = 2 ** 32;

/** Stream bytes one DATA message carries at most (the kind byte takes the rest of the 1 MiB). */
export const MAX_DATA_BYTES = MAX_MESSAGE_BYTES - 1;

export type Message =
  | { readonly kind: MessageKind.DATA; readonly data: Uint8Array }
  | { readonly kind: MessageKind.ACCEPT | MessageKind.END | MessageKind.LOADED | MessageKind.GO }
  | { readonly kind: MessageKind.REFUSE | MessageKind.CANCEL | MessageKind.ERROR; readonly reason: string }
  | { readonly kind: MessageKind.PROGRESS; readonly loaded: number };

export const KIND_NAMES: Readonly<Record<MessageKind, string>> = {
  [MessageKind.DATA]: 'DATA',
  [MessageKind.ACCEPT]: 'ACCEPT',
  [MessageKind.REFUSE]: 'REFUSE',
  [MessageKind.END]: 'END',
  [MessageKind.LOADED]: 'LOADED',
  [MessageKind.GO]: 'GO',
  [MessageKind.CANCEL]: 'CANCEL',
  [MessageKind.ERROR]: 'ERROR',
  [MessageKind.PROGRESS]: 'PROGRESS',
};

export function kindName(kind: number): string {
  return KIND_NAMES[kind as MessageKind] ?? `0x${kind.toString(16)}`;
}

/** Bytes before the stream bytes in a DATA message (the kind). */
export const DATA_HEADER_BYTES = 1;

/**
 * Makes `message` a DATA message in place: its first DATA_HEADER_BYTES were left free for the
 * header (StreamWriter's headroom), the stream bytes follow. Saves encodeData's copy.
 */
export function dataMessageInPlace(message: Uint8Array): Uint8Array {
  const n = message.length - DATA_HEADER_BYTES;
  if (n <= 0 || n > MAX_DATA_BYTES) throw new RangeError(`DATA of ${n} bytes`);
  message[0] = MessageKind.DATA;
  return message;
}

/** One DATA message holding `bytes` (copied after the kind byte). */
export function encodeData(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0 || bytes.length > MAX_DATA_BYTES) throw new RangeError(`DATA of ${bytes.length} bytes`);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = MessageKind.DATA;
  out.set(bytes, 1);
  return out;
}

/** A PROGRESS saying `loaded` stream bytes were received and loaded. */
export function encodeProgress(loaded: number): Uint8Array {
  if (!Number.isSafeInteger(loaded) || loaded < 0) throw new RangeError(`PROGRESS of ${loaded} bytes`);
  const out = new Uint8Array(1 + PROGRESS_PAYLOAD_BYTES);
  const v = new DataView(out.buffer);
  out[0] = MessageKind.PROGRESS;
  v.setUint32(1, Math.floor(loaded / TWO_32));
  v.setUint32(5, loaded % TWO_32);
  return out;
}

export function encodeSignal(kind: MessageKind.ACCEPT | MessageKind.END | MessageKind.LOADED | MessageKind.GO): Uint8Array {
  return Uint8Array.of(kind);
}

/** A REFUSE, CANCEL or ERROR with its reason (cut to MAX_REASON_BYTES on a character boundary). */
export function encodeReason(kind: MessageKind.REFUSE | MessageKind.CANCEL | MessageKind.ERROR, reason: string): Uint8Array {
  let text = utf8Encode(reason);
  let chars = [...reason];
  while (text.length > MAX_REASON_BYTES) {
    chars = chars.slice(0, chars.length - Math.max(1, Math.ceil((text.length - MAX_REASON_BYTES) / 4)));
    text = utf8Encode(chars.join(''));
  }
  const out = new Uint8Array(text.length + 1);
  out[0] = kind;
  out.set(text, 1);
  return out;
}

export function encodeMessage(m: Message): Uint8Array {
  if ('data' in m) return encodeData(m.data);
  if ('reason' in m) return encodeReason(m.kind, m.reason);
  if ('loaded' in m) return encodeProgress(m.loaded);
  return encodeSignal(m.kind);
}

/** Decodes and validates one message; a string says why it is refused. DATA is a view into `bytes`. */
export function decodeMessage(bytes: Uint8Array): Message | string {
  if (!(bytes instanceof Uint8Array)) return 'message is not bytes';
  if (bytes.length === 0) return 'empty message';
  if (bytes.length > MAX_MESSAGE_BYTES) return `message of ${bytes.length} bytes is larger than ${MAX_MESSAGE_BYTES}`;
  const kind = bytes[0]!;
  const payload = bytes.subarray(1);
  switch (kind) {
    case MessageKind.DATA:
      if (payload.length === 0) return 'DATA without bytes';
      return { kind, data: payload };
    case MessageKind.ACCEPT:
    case MessageKind.END:
    case MessageKind.LOADED:
    case MessageKind.GO:
      if (payload.length !== 0) return `${kindName(kind)} with ${payload.length} payload bytes`;
      return { kind };
    case MessageKind.REFUSE:
    case MessageKind.CANCEL:
    case MessageKind.ERROR: {
      if (payload.length > MAX_REASON_BYTES) return `${kindName(kind)} reason of ${payload.length} bytes`;
      const reason = utf8Decode(payload);
      if (reason === undefined) return `${kindName(kind)} reason is not UTF-8`;
      return { kind, reason };
    }
    case MessageKind.PROGRESS: {
      if (payload.length !== PROGRESS_PAYLOAD_BYTES) return `PROGRESS with ${payload.length} payload bytes`;
      const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      const hi = v.getUint32(0);
      if (hi >= 2 ** 21) return 'PROGRESS count beyond 2^53';
      return { kind, loaded: hi * TWO_32 + v.getUint32(4) };
    }
    default:
      return `unknown message kind ${kindName(kind)}`;
  }
}
