/**
 * The MigrationChannel contract, run against every transport (WebRTC's through a stand-in data channel): ordered delivery (1 MiB
 * messages included), backpressure, buffering until a handler exists, heartbeats keeping an
 * idle channel open, and closing.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../migration/channel.ts';
import { openBroadcastChannel } from './broadcast-channel.ts';
import type { FramedChannel } from './framed-channel.ts';
import { channelFromDataChannel } from './data-channel.ts';
import { channelFromPort } from './message-port.ts';
import { newMigrationId } from './migration-id.ts';
import { nodeChannelPair } from './node-worker.ts';
import type { ChannelOptions } from './options.ts';
import { fakeDataChannelPair } from './testing/fake-data-channel.ts';
import { sleep, until } from './testing/raw-peer.ts';

type Pair = [FramedChannel, FramedChannel];

const transports: [string, (options?: ChannelOptions) => Pair][] = [
  ['BroadcastChannel', (options) => {
    const id = newMigrationId();
    return [openBroadcastChannel(id, options), openBroadcastChannel(id, options)];
  }],
  ['MessagePort', (options) => {
    const id = newMigrationId();
    const { port1, port2 } = new MessageChannel();
    return [channelFromPort(port1, id, options), channelFromPort(port2, id, options)];
  }],
  ['worker_threads port', (options) => nodeChannelPair(options)],
  ['RTCDataChannel (stand-in)', (options) => {
    const id = newMigrationId();
    const [x, y] = fakeDataChannelPair();
    return [channelFromDataChannel(x, id, options), channelFromDataChannel(y, id, options)];
  }],
];

/** Message `i`: a size from a fixed pattern (0, 1, odd sizes, the 1 MiB maximum), bytes derived from i. */
function message(i: number): Uint8Array {
  const sizes = [0, 1, 4095, MAX_MESSAGE_BYTES, 65_537, 300_000];
  const bytes = new Uint8Array(sizes[i % sizes.length]!);
  for (let j = 0; j < bytes.length; j += 997) bytes[j] = (i * 31 + j) & 0xff;
  if (bytes.length >= 4) new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
}

function expectMessage(got: Uint8Array, i: number): void {
  const want = message(i);
  expect(got.byteLength).toBe(want.byteLength);
  expect(Buffer.from(got).equals(Buffer.from(want)), `message ${i}`).toBe(true);
}

describe.each(transports)('%s channel', (_name, makePair) => {
  it('delivers many messages, 1 MiB ones included, in order and intact, both ways at once', async () => {
    const [a, b] = makePair();
    const count = 120;
    const atB: Uint8Array[] = [];
    const atA: Uint8Array[] = [];
    b.onMessage((m) => atB.push(m));
    a.onMessage((m) => atA.push(m));
    const pump = async (from: FramedChannel) => {
      for (let i = 0; i < count; i++) await from.send(message(i));
    };
    await Promise.all([pump(a), pump(b)]);
    await until(() => atB.length === count && atA.length === count);
    for (let i = 0; i < count; i++) {
      expectMessage(atB[i]!, i);
      expectMessage(atA[i]!, i);
    }
    expect(a.stats.messagesSent).toBe(count);
    expect(b.stats.messagesReceived).toBe(count);
    a.close();
    b.close();
  });

  it('makes send() wait while the window is full and resumes after ACKs', async () => {
    const [a, b] = makePair();
    // b has no handler yet: it buffers and acknowledges nothing.
    let resolved = 0;
    const sends = Array.from({ length: 8 }, (_, i) => a.send(message(3 + 6 * i)).then(() => resolved++));
    await until(() => resolved === 4);
    await sleep(50);
    // 4 MiB window: four 1 MiB messages are in flight, the fifth waits.
    expect(resolved).toBe(4);
    expect(a.stats.bytesInFlight).toBeGreaterThan(3 * MAX_MESSAGE_BYTES);
    expect(a.stats.bytesInFlight).toBeLessThan(5 * MAX_MESSAGE_BYTES);
    const got: Uint8Array[] = [];
    b.onMessage((m) => got.push(m));
    await Promise.all(sends);
    await until(() => got.length === 8);
    expect(resolved).toBe(8);
    a.close();
    b.close();
  });

  it('keeps at most about one window unacknowledged while a slow receiver drains', async () => {
    const options = { windowBytes: 1 << 20, ackEveryBytes: 64 << 10 };
    const [a, b] = makePair(options);
    let maxInFlight = 0;
    let received = 0;
    b.onMessage(() => {
      received++;
      maxInFlight = Math.max(maxInFlight, a.stats.bytesInFlight);
    });
    for (let i = 0; i < 200; i++) await a.send(new Uint8Array(100_000));
    await until(() => received === 200);
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThan((1 << 20) + 100_000 + 100);
    a.close();
    b.close();
  });

  it('keeps an idle channel open past the idle timeout (heartbeats)', async () => {
    const [a, b] = makePair({ idleTimeoutMs: 150, heartbeatMs: 30 });
    const reasons: string[] = [];
    a.onClose((r) => reasons.push(r));
    b.onClose((r) => reasons.push(r));
    await sleep(500);
    expect(reasons).toEqual([]);
    expect(a.connected && b.connected).toBe(true);
    a.close();
    b.close();
  });

  it('does not take its own stalled event loop for a silent peer', async () => {
    const [a, b] = makePair({ idleTimeoutMs: 150, heartbeatMs: 30 });
    await until(() => a.connected && b.connected);
    const reasons: string[] = [];
    a.onClose((r) => reasons.push(r));
    b.onClose((r) => reasons.push(r));
    // A long synchronous slice (the VM running, a stop-and-copy) blocks timers and messages alike.
    const end = performance.now() + 400;
    while (performance.now() < end) {
      // busy
    }
    await sleep(100);
    expect(reasons).toEqual([]);
    a.close();
    b.close();
  });

  it('closes idempotently; the peer sees the reason; pending and later sends reject', async () => {
    const [a, b] = makePair();
    const atA: string[] = [];
    const atB: string[] = [];
    a.onClose((r) => atA.push(r));
    b.onClose((r) => atB.push(r));
    b.onMessage(() => {});
    await a.send(new Uint8Array(10));
    await until(() => b.stats.messagesReceived === 1);
    // a has no handler, so it acknowledges nothing: b's last two sends stay pending.
    const pending = Promise.allSettled(Array.from({ length: 6 }, () => b.send(new Uint8Array(MAX_MESSAGE_BYTES))));
    await until(() => a.stats.messagesReceived === 4);
    a.close('source resumed the guest');
    a.close('second close is ignored');
    await until(() => atB.length === 1);
    expect(atA).toEqual(['source resumed the guest']);
    expect(atB).toEqual(['peer closed: source resumed the guest']);
    expect(a.closed && b.closed).toBe(true);
    const outcomes = await pending;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    await expect(a.send(new Uint8Array(1))).rejects.toThrow(/channel closed: source resumed the guest/);
    await expect(b.send(new Uint8Array(1))).rejects.toThrow(/peer closed/);
    b.close('late');
    await sleep(20);
    expect(atB).toHaveLength(1);
    let late = '';
    a.onClose((r) => (late = r));
    expect(late).toBe('source resumed the guest');
  });

  it('delivers messages that arrived before onMessage, in order, and refuses oversized sends', async () => {
    const [a, b] = makePair();
    for (let i = 0; i < 5; i++) await a.send(message(i));
    await until(() => b.stats.messagesReceived === 5);
    const got: Uint8Array[] = [];
    b.onMessage((m) => got.push(m));
    expect(got).toHaveLength(5);
    got.forEach((m, i) => expectMessage(m, i));
    await expect(a.send(new Uint8Array(MAX_MESSAGE_BYTES + 1))).rejects.toThrow(RangeError);
    expect(a.closed).toBe(false);
    a.close();
    b.close();
  });
});
