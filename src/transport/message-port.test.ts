/**
 * MessagePort specifics: a point-to-point medium, so anything malformed is the peer's fault
 * and closes the channel with a reason (never a throw); payload buffers are transferred.
 */
import { describe, expect, it } from 'vitest';
import { FrameType } from './frame.ts';
import { channelFromPort } from './message-port.ts';
import { newMigrationId } from './migration-id.ts';
import { openBroadcastChannel } from './broadcast-channel.ts';
import { nodeChannelPair } from './node-worker.ts';
import { RawPeer, portMedium, sleep, until } from './testing/raw-peer.ts';

/** A channel on port1 and a hand-driven peer on port2 that has completed the handshake. */
async function channelWithRawPeer(options = {}) {
  const id = newMigrationId();
  const { port1, port2 } = new MessageChannel();
  const channel = channelFromPort(port1, id, options);
  const peer = new RawPeer(portMedium(port2), id);
  const reasons: string[] = [];
  channel.onClose((r) => reasons.push(r));
  await until(() => peer.peer !== 0);
  peer.hello();
  await until(() => channel.connected);
  return { id, channel, peer, reasons };
}

describe('MessagePort transport', () => {
  const forgeries: [string, (p: RawPeer, id: string) => void, RegExp][] = [
    ['wrong migration id', (p) => p.frame(FrameType.DATA, 0, new Uint8Array(1), { id: newMigrationId() }), /another migration id/],
    ['wrong sender', (p) => p.frame(FrameType.DATA, 0, new Uint8Array(1), { sender: 77 }), /from sender 77, not the peer/],
    ['sequence skipped', (p) => p.data(5, new Uint8Array(1)), /out-of-order DATA: expected sequence 1, got 5/],
    ['sequence replayed', (p) => p.data(0, new Uint8Array(1)), /out-of-order DATA: expected sequence 1, got 0/],
    ['bad length', (p) => p.raw(withLength(p, 5, new Uint8Array(2))), /length field 5 but payload of 2 bytes/],
    ['not a frame', (p) => p.raw({ hello: 'world' }), /not a \[header, payload\] pair/],
    ['ACK for unsent data', (p) => p.frame(FrameType.ACK, 3, new Uint8Array(0)), /ACK for 3 messages but only 0/],
  ];

  for (const [name, forge, want] of forgeries) {
    it(`closes with a reason on a forged frame: ${name}`, async () => {
      const { channel, peer, reasons, id } = await channelWithRawPeer();
      const got: Uint8Array[] = [];
      channel.onMessage((m) => got.push(m));
      peer.data(0, new Uint8Array([42]));
      await until(() => got.length === 1);
      forge(peer, id);
      await until(() => channel.closed);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/^protocol violation: /);
      expect(reasons[0]).toMatch(want);
      // The peer is told why.
      await until(() => peer.framesOf(FrameType.CLOSE).length === 1);
      // Nothing after the violation is delivered.
      expect(got).toHaveLength(1);
      peer.close();
    });
  }

  it('closes on DATA before the HELLO', async () => {
    const id = newMigrationId();
    const { port1, port2 } = new MessageChannel();
    const channel = channelFromPort(port1, id);
    const peer = new RawPeer(portMedium(port2), id);
    let reason = '';
    channel.onClose((r) => (reason = r));
    peer.data(0, new Uint8Array(1));
    await until(() => channel.closed);
    expect(reason).toBe(`protocol violation: frame of type ${FrameType.DATA} before the peer's HELLO`);
    peer.close();
  });

  it('reports a peer that stays connected but silent', async () => {
    const { channel, reasons, peer } = await channelWithRawPeer({ idleTimeoutMs: 150, heartbeatMs: 30 });
    await until(() => channel.closed, 2000);
    expect(reasons[0]).toMatch(/^peer silent for \d+ ms \(idle timeout 150 ms\)$/);
    peer.close();
  });

  it('notices at once when the peer port closes without a CLOSE frame', async () => {
    const { channel, reasons, peer } = await channelWithRawPeer();
    const start = performance.now();
    peer.close();
    await until(() => channel.closed, 1000);
    expect(reasons).toEqual(['peer port closed']);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("transfers a whole-buffer payload and copies a view into a larger buffer", async () => {
    const { channel, peer } = await channelWithRawPeer();
    const whole = new Uint8Array([1, 2, 3]);
    await channel.send(whole);
    expect(whole.byteLength).toBe(0); // detached: transferred, not copied
    const big = new Uint8Array(1000).fill(7);
    await channel.send(big.subarray(10, 14));
    expect(big.byteLength).toBe(1000);
    await until(() => peer.framesOf(FrameType.DATA).length === 2);
    const [first, second] = peer.framesOf(FrameType.DATA);
    expect([...first!.payload]).toEqual([1, 2, 3]);
    expect(second!.payload.buffer.byteLength).toBe(4);
    channel.close();
    await sleep(10);
    peer.close();
  });
});

describe('buffers handed back (takeBuffer, recycle)', () => {
  it('sends a view of a taken buffer without copying, and reuses the buffer the peer hands back', async () => {
    const [a, b] = nodeChannelPair();
    const got: Uint8Array[] = [];
    b.onMessage((m) => got.push(m));
    const first = a.takeBuffer(1000, 4096)!;
    expect([first.byteLength, first.buffer.byteLength]).toEqual([1000, 4096]);
    first.fill(9);
    await a.send(first);
    expect(first.buffer.byteLength).toBe(0); // the whole buffer went, not a copy of the view
    await until(() => got.length === 1);
    expect(got[0]!.byteLength).toBe(1000);
    expect(got[0]!.every((x) => x === 9)).toBe(true);
    b.recycle(got[0]!);
    expect(b.stats.buffersReturned).toBe(1);
    await until(() => a.stats.spareBuffers === 1);
    const second = a.takeBuffer(2000, 4096)!;
    expect(a.stats.buffersReused).toBe(1);
    expect([second.byteLength, second.buffer.byteLength]).toEqual([2000, 4096]);
    // Too large for any buffer handed back: a fresh one.
    expect(a.takeBuffer(8000, 4096)!.buffer.byteLength).toBe(8000);
    expect(a.stats.buffersReused).toBe(1);
    a.close();
    b.close();
  });

  it('offers nothing where payloads are copied (BroadcastChannel), and recycling there does nothing', () => {
    const id = newMigrationId();
    const a = openBroadcastChannel(id);
    const b = openBroadcastChannel(id);
    expect(a.takeBuffer(1000, 4096)).toBeUndefined();
    b.recycle(new Uint8Array(8));
    expect(b.stats.buffersReturned).toBe(0);
    a.close();
    b.close();
  });
});

describe("ports between processes (transfer 'copy')", () => {
  it('still transfer payloads, but offer no buffers and hand none back', async () => {
    const id = newMigrationId();
    const { port1, port2 } = new MessageChannel();
    const a = channelFromPort(port1, id, {}, 'copy');
    const b = channelFromPort(port2, id, {}, 'copy');
    const got: Uint8Array[] = [];
    b.onMessage((m) => got.push(m));
    expect(a.takeBuffer(1000, 4096)).toBeUndefined();
    const payload = new Uint8Array(1000).fill(7);
    await a.send(payload);
    expect(payload.buffer.byteLength).toBe(0); // transferred, not cloned by this end
    await until(() => got.length === 1);
    expect(got[0]!.every((x) => x === 7)).toBe(true);
    b.recycle(got[0]!);
    expect(b.stats.buffersReturned).toBe(0);
    a.close();
    b.close();
  });
});

/** A DATA frame from `p` whose header length field says `length` over `payload`. */
function withLength(p: RawPeer, length: number, payload: Uint8Array): unknown {
  let wire: [Uint8Array, Uint8Array] | undefined;
  const capture = { post: (m: unknown) => (wire = m as [Uint8Array, Uint8Array]), listen: () => {}, close: () => {} };
  new RawPeer(capture, p.idHex, p.sender).data(0, payload);
  new DataView(wire![0].buffer).setUint32(32, length);
  return wire;
}
