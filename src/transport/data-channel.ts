/**
 * A MigrationChannel over an RTCDataChannel: between two browsers (or two machines) joined by
 * WebRTC (src/ui/rtc-link.ts sets the connection up; the page transfers the data channel into
 * the VM's worker, which opens this).
 *
 * A data channel sends one message at a time of at most 262,144 bytes in Chromium (larger
 * throws), so a wire message `[header, payload]` (up to 36 B + 2 MiB) is cut into fragments
 * of at most FRAGMENT_BYTES:
 *
 *   fragment = flag (1 byte: MORE 1, LAST 0) + up to FRAGMENT_BYTES bytes of
 *   u32 header length | u32 payload length | header | payload   (big-endian)
 *
 * The channel is created ordered and reliable, so fragments arrive whole and in order. The
 * peer is the only sender (point to point), and everything it sends is untrusted: a flag other
 * than MORE or LAST, a message longer than the largest frame, or lengths that do not add up
 * deliver `undefined`, which closes the channel. The framed channel's ACK window keeps the
 * data channel's own send queue (16 MiB in Chromium, more throws) far from full.
 */
import { concatBytes } from '../lib/concat-bytes.ts';
import { HEADER_BYTES, MAX_RETURN_BYTES } from './frame.ts';
import type { WireMessage } from './frame.ts';
import { FramedChannel } from './framed-channel.ts';
import type { Wire } from './framed-channel.ts';
import type { ChannelOptions } from './options.ts';

/** Bytes of one data channel message after its flag (REFERENCE: keep messages ≤ 64 KiB). */
export const FRAGMENT_BYTES = 64 << 10;
export const enum FragmentFlag {
  LAST = 0,
  MORE = 1,
}
const LENGTHS_BYTES = 8;
/** The longest wire message a peer may send: a RETURN of the largest buffer (DATA is shorter). */
export const MAX_WIRE_BYTES = LENGTHS_BYTES + HEADER_BYTES + MAX_RETURN_BYTES;

/** What this module needs of an RTCDataChannel (the DOM's fits; tests use a stand-in). The channel takes over its handlers. */
export interface DataChannelLike {
  binaryType: string;
  readonly readyState: string;
  send(data: ArrayBuffer): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

/** Wraps `dc` as this endpoint of migration `migrationId`. The channel owns the data channel from now on. */
export function channelFromDataChannel(dc: DataChannelLike, migrationId: string, options?: ChannelOptions): FramedChannel {
  return new FramedChannel(dataChannelWire(dc), migrationId, 'point-to-point', options);
}

/** The data channel messages that carry one wire message. */
export function fragment([header, payload]: WireMessage): ArrayBuffer[] {
  const lengths = new Uint8Array(LENGTHS_BYTES);
  const view = new DataView(lengths.buffer);
  view.setUint32(0, header.length);
  view.setUint32(4, payload.length);
  const parts = [lengths, header, payload];
  const total = LENGTHS_BYTES + header.length + payload.length;
  const out: ArrayBuffer[] = [];
  let part = 0;
  let partAt = 0; // bytes of parts[part] already copied
  for (let at = 0; at < total; ) {
    const n = Math.min(FRAGMENT_BYTES, total - at);
    const msg = new Uint8Array(1 + n);
    msg[0] = at + n < total ? FragmentFlag.MORE : FragmentFlag.LAST;
    for (let filled = 0; filled < n; ) {
      const p = parts[part]!;
      const k = Math.min(p.length - partAt, n - filled);
      msg.set(p.subarray(partAt, partAt + k), 1 + filled);
      filled += k;
      partAt += k;
      if (partAt === p.length) {
        part++;
        partAt = 0;
      }
    }
    out.push(msg.buffer);
    at += n;
  }
  return out;
}

/**
 * Reassembles fragments into wire messages. `push` returns the message a LAST fragment
 * completes, null while more are due, or undefined for anything malformed (the reassembler is
 * then spent: every later push is undefined too).
 */
export class Reassembler {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private broken = false;

  push(data: unknown): WireMessage | null | undefined {
    if (this.broken) return undefined;
    if (!(data instanceof ArrayBuffer) || data.byteLength < 1) return this.fail();
    const msg = new Uint8Array(data);
    const flag = msg[0];
    if (flag !== FragmentFlag.MORE && flag !== FragmentFlag.LAST) return this.fail();
    this.bytes += msg.length - 1;
    if (this.bytes > MAX_WIRE_BYTES) return this.fail();
    this.parts.push(msg.subarray(1));
    if (flag === FragmentFlag.MORE) return null;
    const whole = concatBytes(this.parts);
    this.parts = [];
    this.bytes = 0;
    if (whole.length < LENGTHS_BYTES) return this.fail();
    const view = new DataView(whole.buffer, whole.byteOffset, LENGTHS_BYTES);
    const headerBytes = view.getUint32(0);
    const payloadBytes = view.getUint32(4);
    if (headerBytes !== HEADER_BYTES || LENGTHS_BYTES + headerBytes + payloadBytes !== whole.length) return this.fail();
    // Copies: the header and payload each own their buffer, as the other transports deliver them.
    const header = whole.slice(LENGTHS_BYTES, LENGTHS_BYTES + headerBytes);
    const payload = whole.slice(LENGTHS_BYTES + headerBytes);
    return [header, payload];
  }

  private fail(): undefined {
    this.broken = true;
    this.parts = [];
    return undefined;
  }
}

function dataChannelWire(dc: DataChannelLike): Wire {
  dc.binaryType = 'arraybuffer';
  /** Fragments posted before the data channel opened (sending then throws). */
  let queued: ArrayBuffer[] = [];
  const reassembler = new Reassembler();
  return {
    post(message: WireMessage): void {
      const pieces = fragment(message);
      if (dc.readyState === 'connecting') {
        queued.push(...pieces);
        return;
      }
      if (dc.readyState !== 'open') throw new Error(`data channel is ${dc.readyState}`);
      for (const p of pieces) dc.send(p);
    },
    start(onWire, onGone): void {
      const flush = () => {
        const pending = queued;
        queued = [];
        for (const p of pending) dc.send(p);
      };
      dc.onmessage = (event) => {
        const m = reassembler.push(event.data);
        if (m !== null) onWire(m);
      };
      dc.onopen = flush;
      dc.onclose = () => onGone('data channel closed');
      if (dc.readyState === 'open') flush();
      else if (dc.readyState === 'closing' || dc.readyState === 'closed') onGone('data channel closed');
    },
    dispose(): void {
      dc.onmessage = null;
      dc.onclose = null;
      const last = queued;
      queued = [];
      if (dc.readyState === 'connecting' && last.length > 0) {
        // Closed before it opened (a move called off at once): the CLOSE and its reason still go out.
        dc.onopen = () => {
          dc.onopen = null;
          for (const p of last) dc.send(p);
          dc.close();
        };
        return;
      }
      dc.onopen = null;
      dc.close();
    },
  };
}
