/**
 * Test helper: two entangled stand-ins for RTCDataChannel (Node has no WebRTC). They keep the
 * rules of Chromium's that the transport relies on: `send` throws while 'connecting' and
 * after closing, and throws for a message over MAX_DATA_CHANNEL_MESSAGE; delivery is ordered,
 * asynchronous and copies the bytes; closing one end closes the other once what was sent
 * before arrived.
 */
import type { DataChannelLike } from '../data-channel.ts';

/** Chromium's largest data channel message (REFERENCE "Moving bytes between tabs"). */
export const MAX_DATA_CHANNEL_MESSAGE = 262_144;

export class FakeDataChannel implements DataChannelLike {
  binaryType = 'blob';
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  readyState: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting';
  peer: FakeDataChannel | undefined;
  /** Sizes of every message sent, for tests that check fragmenting. */
  readonly sentSizes: number[] = [];

  send(data: ArrayBuffer): void {
    if (this.readyState !== 'open') throw new DOMException(`readyState is ${this.readyState}`, 'InvalidStateError');
    if (data.byteLength > MAX_DATA_CHANNEL_MESSAGE) throw new TypeError(`message of ${data.byteLength} bytes is too large`);
    this.sentSizes.push(data.byteLength);
    const copy = data.slice(0);
    const peer = this.peer;
    setTimeout(() => {
      if (peer && peer.readyState !== 'closed') peer.onmessage?.(new MessageEvent('message', { data: copy }));
    }, 0);
  }

  /** The peer's bytes as the page would see them: anything, for tests that play a bad peer. */
  deliver(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  open(): void {
    this.readyState = 'open';
    this.onopen?.(new Event('open'));
  }

  /** Closes after the messages already sent are delivered (the spec's closing procedure sends them first). */
  close(): void {
    if (this.readyState === 'closed' || this.readyState === 'closing') return;
    this.readyState = 'closing';
    setTimeout(() => {
      this.readyState = 'closed';
      this.onclose?.(new Event('close'));
      this.peer?.close();
    }, 0);
  }
}

/** Two ends that open one tick after creation, as a new data channel does. */
export function fakeDataChannelPair(): [FakeDataChannel, FakeDataChannel] {
  const a = new FakeDataChannel();
  const b = new FakeDataChannel();
  a.peer = b;
  b.peer = a;
  setTimeout(() => {
    a.open();
    b.open();
  }, 1);
  return [a, b];
}
