/**
 * BroadcastChannel specifics: the shared medium. Third-party traffic is ignored; a peer that
 * stops talking is noticed; forged frames from the peer's identity still close the channel.
 * Node delivers between two BroadcastChannel objects of one name in one thread, as a browser
 * does between tabs.
 */
import { describe, expect, it } from 'vitest';
import { openBroadcastChannel } from './broadcast-channel.ts';
import { FrameType, helloPayload } from './frame.ts';
import { channelName, newMigrationId } from './migration-id.ts';
import { RawPeer, broadcastMedium, sleep, until } from './testing/raw-peer.ts';

describe('BroadcastChannel transport', () => {
  it('ignores a third tab migrating on another id, and junk on its own name', async () => {
    const id = newMigrationId();
    const [a, b] = [openBroadcastChannel(id), openBroadcastChannel(id)];
    const otherId = newMigrationId();
    const [c, d] = [openBroadcastChannel(otherId), openBroadcastChannel(otherId)];
    const atB: number[] = [];
    const atD: number[] = [];
    b.onMessage((m) => atB.push(m[0]!));
    d.onMessage((m) => atD.push(m[0]!));
    // A stranger on our channel name once a and b are paired (before that, whoever's HELLO
    // comes first becomes the peer: the random id in the name is what keeps strangers out):
    // junk, a frame of another migration, a second HELLO, DATA under its own sender id.
    await until(() => a.connected && b.connected);
    const stranger = new RawPeer(broadcastMedium(channelName(id)), id, 0xbad);
    stranger.raw('not a frame');
    stranger.raw([new Uint8Array(36), new Uint8Array(0)]);
    stranger.frame(FrameType.DATA, 0, new Uint8Array([99]), { id: otherId });
    stranger.hello(0);
    for (let i = 0; i < 20; i++) {
      await Promise.all([a.send(new Uint8Array([i])), c.send(new Uint8Array([100 + i]))]);
      stranger.data(i, new Uint8Array([200 + i])); // right id, not the peer's sender id
    }
    await until(() => atB.length === 20 && atD.length === 20);
    await sleep(20);
    expect(atB).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(atD).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(b.closed || a.closed).toBe(false);
    expect(b.stats.ignored).toBeGreaterThanOrEqual(24);
    for (const ch of [a, b, c, d]) ch.close();
    stranger.close();
  });

  it('pairs even when one side posted its first HELLO before the other listened', async () => {
    const id = newMigrationId();
    const a = openBroadcastChannel(id, { helloIntervalMs: 10 });
    await sleep(60); // several of a's HELLOs went nowhere
    const b = openBroadcastChannel(id);
    const got: Uint8Array[] = [];
    b.onMessage((m) => got.push(m));
    await a.send(new Uint8Array([1, 2, 3]));
    await until(() => got.length === 1);
    expect([...got[0]!]).toEqual([1, 2, 3]);
    a.close();
    b.close();
  });

  it('reports a peer that goes silent after the handshake', async () => {
    const id = newMigrationId();
    const a = openBroadcastChannel(id, { idleTimeoutMs: 200, heartbeatMs: 40 });
    const peer = new RawPeer(broadcastMedium(channelName(id)), id);
    await until(() => peer.peer !== 0);
    peer.hello();
    await until(() => a.connected);
    const start = performance.now();
    let reason = '';
    a.onClose((r) => (reason = r));
    await until(() => a.closed, 2000);
    expect(reason).toMatch(/^peer silent for \d+ ms \(idle timeout 200 ms\)$/);
    expect(performance.now() - start).toBeGreaterThanOrEqual(150);
    // It said goodbye on its way out, in case the peer is alive after all.
    await until(() => peer.framesOf(FrameType.CLOSE).length === 1);
    peer.close();
  });

  it('posts a copy of a view into a larger buffer, not the whole buffer', async () => {
    const id = newMigrationId();
    const a = openBroadcastChannel(id);
    const peer = new RawPeer(broadcastMedium(channelName(id)), id);
    await until(() => peer.peer !== 0);
    peer.hello();
    await until(() => a.connected);
    const ram = new Uint8Array(1 << 20).fill(5);
    await a.send(ram.subarray(4096, 8192));
    await until(() => peer.framesOf(FrameType.DATA).length === 1);
    const payload = peer.framesOf(FrameType.DATA)[0]!.payload;
    expect([payload.byteLength, payload.buffer.byteLength, payload[0]]).toEqual([4096, 4096, 5]);
    expect(ram.byteLength).toBe(1 << 20);
    a.close();
    peer.close();
  });

  it('gives up when nobody answers the HELLO', async () => {
    const a = openBroadcastChannel(newMigrationId(), { connectTimeoutMs: 100 });
    let reason = '';
    a.onClose((r) => (reason = r));
    await until(() => a.closed, 2000);
    expect(reason).toBe('no peer answered within 100 ms');
  });

  it("closes on a forged frame under the peer's identity (bad length, out-of-order sequence)", async () => {
    for (const forge of [
      (p: RawPeer) => p.data(1, new Uint8Array(4)),
      (p: RawPeer) => p.raw([new Uint8Array(rewriteLength(p, 9)), new Uint8Array(4)]),
      (p: RawPeer) => p.frame(FrameType.ACK, 5, new Uint8Array(0)),
    ]) {
      const id = newMigrationId();
      const a = openBroadcastChannel(id);
      const peer = new RawPeer(broadcastMedium(channelName(id)), id);
      await until(() => peer.peer !== 0);
      peer.hello();
      await until(() => a.connected);
      let reason = '';
      a.onClose((r) => (reason = r));
      forge(peer);
      await until(() => a.closed);
      expect(reason).toMatch(/^protocol violation: /);
      await until(() => peer.framesOf(FrameType.CLOSE).length === 1);
      peer.close();
    }
  });

  it('accepts a CLOSE from a peer whose HELLO it missed', async () => {
    const id = newMigrationId();
    const a = openBroadcastChannel(id);
    const peer = new RawPeer(broadcastMedium(channelName(id)), id);
    let reason = '';
    a.onClose((r) => (reason = r));
    peer.frame(FrameType.CLOSE, 0, new TextEncoder().encode('destination refused: not enough RAM'));
    await until(() => a.closed);
    expect(reason).toBe('peer closed: destination refused: not enough RAM');
    peer.close();
  });

  it('closes when the peer says it is paired with another endpoint', async () => {
    const id = newMigrationId();
    const a = openBroadcastChannel(id);
    const peer = new RawPeer(broadcastMedium(channelName(id)), id);
    await until(() => peer.peer !== 0);
    peer.hello();
    await until(() => a.connected);
    let reason = '';
    a.onClose((r) => (reason = r));
    peer.frame(FrameType.HELLO, 0, helloPayload(12345));
    await until(() => a.closed);
    expect(reason).toBe('peer is paired with another endpoint (12345)');
    peer.close();
  });
});

/** A DATA header from `p` whose length field says `length` (the payload will have 4 bytes). */
function rewriteLength(p: RawPeer, length: number): ArrayBuffer {
  let header: Uint8Array | undefined;
  const capture = { post: (m: unknown) => (header = (m as Uint8Array[])[0]), listen: () => {}, close: () => {} };
  new RawPeer(capture, p.idHex, p.sender).data(0, new Uint8Array(4));
  new DataView(header!.buffer).setUint32(32, length);
  return header!.buffer as ArrayBuffer;
}
