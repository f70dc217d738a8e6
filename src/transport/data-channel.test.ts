import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../migration/channel.ts';
import { channelFromDataChannel, fragment, FRAGMENT_BYTES, FragmentFlag, MAX_WIRE_BYTES, Reassembler } from './data-channel.ts';
import { encodeHeader, FrameType, HEADER_BYTES } from './frame.ts';
import { migrationIdBytes, newMigrationId } from './migration-id.ts';
import { FakeDataChannel, fakeDataChannelPair } from './testing/fake-data-channel.ts';
import { until } from './testing/raw-peer.ts';

function wireMessage(payloadBytes: number): [Uint8Array, Uint8Array] {
  const header = encodeHeader(FrameType.DATA, migrationIdBytes(newMigrationId()), 7, 3, payloadBytes);
  const payload = new Uint8Array(payloadBytes);
  for (let i = 0; i < payloadBytes; i++) payload[i] = (i * 7 + (i >> 11)) & 0xff;
  return [header, payload];
}

/** One data channel message with the given flag and body. */
function piece(flag: number, body: Uint8Array): ArrayBuffer {
  const m = new Uint8Array(1 + body.length);
  m[0] = flag;
  m.set(body, 1);
  return m.buffer;
}

describe('fragmenting wire messages for a data channel', () => {
  it.each([0, 1, FRAGMENT_BYTES - 8 - HEADER_BYTES, FRAGMENT_BYTES - 8 - HEADER_BYTES + 1, 300_000, MAX_MESSAGE_BYTES])(
    'a payload of %i bytes survives fragmenting, in messages of at most 64 KiB + flag',
    (n) => {
      const [header, payload] = wireMessage(n);
      const pieces = fragment([header, payload]);
      const total = 8 + HEADER_BYTES + n;
      expect(pieces).toHaveLength(Math.ceil(total / FRAGMENT_BYTES));
      for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(1 + FRAGMENT_BYTES);
      const flags = pieces.map((p) => new Uint8Array(p)[0]);
      expect(flags.slice(0, -1).every((f) => f === FragmentFlag.MORE)).toBe(true);
      expect(flags.at(-1)).toBe(FragmentFlag.LAST);
      const r = new Reassembler();
      const out = pieces.map((p) => r.push(p));
      expect(out.slice(0, -1).every((m) => m === null)).toBe(true);
      const [h, b] = out.at(-1)!;
      expect(Buffer.from(h).equals(Buffer.from(header))).toBe(true);
      expect(Buffer.from(b).equals(Buffer.from(payload))).toBe(true);
    },
  );

  it('refuses what a peer could send wrong, and stays refused', () => {
    const good = fragment(wireMessage(10))[0]!;
    const cases: [string, unknown[]][] = [
      ['a string', ['hello']],
      ['an empty message', [new ArrayBuffer(0)]],
      ['an unknown flag', [piece(2, new Uint8Array(100))]],
      ['a header of the wrong length', [piece(FragmentFlag.LAST, new Uint8Array([0, 0, 0, 5, 0, 0, 0, 0, 1, 2, 3, 4, 5]))]],
      ['lengths that do not add up', [piece(FragmentFlag.LAST, new Uint8Array(8 + HEADER_BYTES + 3))]],
      ['a message shorter than its lengths', [piece(FragmentFlag.LAST, new Uint8Array(5))]],
    ];
    for (const [what, messages] of cases) {
      const r = new Reassembler();
      const results = messages.map((m) => r.push(m));
      expect(results.at(-1), what).toBeUndefined();
      expect(r.push(good), `${what}, then a good message`).toBeUndefined();
    }
  });

  it('stops collecting a message longer than the largest frame (no unbounded buffering)', () => {
    const r = new Reassembler();
    const chunk = piece(FragmentFlag.MORE, new Uint8Array(FRAGMENT_BYTES));
    let pushed = 0;
    let result: unknown = null;
    while (result === null && pushed < 1000) {
      result = r.push(chunk);
      pushed++;
    }
    expect(result).toBeUndefined();
    expect(pushed).toBe(Math.floor(MAX_WIRE_BYTES / FRAGMENT_BYTES) + 1);
  });
});

describe('a migration channel over a data channel', () => {
  it('waits for the data channel to open before sending (sending earlier throws in browsers)', async () => {
    const [x, y] = fakeDataChannelPair();
    const id = newMigrationId();
    const a = channelFromDataChannel(x, id);
    const b = channelFromDataChannel(y, id);
    const got: number[] = [];
    b.onMessage((m) => got.push(m.length));
    expect(x.readyState).toBe('connecting');
    await a.send(new Uint8Array(MAX_MESSAGE_BYTES));
    await until(() => got.length === 1);
    expect(got).toEqual([MAX_MESSAGE_BYTES]);
    expect(Math.max(...x.sentSizes)).toBeLessThanOrEqual(1 + FRAGMENT_BYTES);
    a.close();
    b.close();
  });

  it('a channel closed before its data channel opened still tells the peer why', async () => {
    const [x, y] = fakeDataChannelPair();
    const id = newMigrationId();
    const a = channelFromDataChannel(x, id);
    const b = channelFromDataChannel(y, id);
    const reasons: string[] = [];
    b.onClose((r) => reasons.push(r));
    a.close('moved elsewhere');
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(['peer closed: moved elsewhere']);
  });

  it('closes when the peer sends something malformed', async () => {
    const [x, y] = fakeDataChannelPair();
    const a = channelFromDataChannel(x, newMigrationId());
    const reasons: string[] = [];
    a.onClose((r) => reasons.push(r));
    await until(() => x.readyState === 'open');
    x.deliver(piece(9, new Uint8Array(4)));
    await until(() => reasons.length === 1);
    expect(a.closed).toBe(true);
    expect(reasons[0]).toMatch(/protocol violation/);
    y.close();
  });

  it('closes with a reason when the data channel goes away (the other browser closed the connection)', async () => {
    const [x, y] = fakeDataChannelPair();
    const a = channelFromDataChannel(x, newMigrationId());
    const reasons: string[] = [];
    a.onClose((r) => reasons.push(r));
    await until(() => x.readyState === 'open');
    y.close();
    await until(() => reasons.length === 1);
    expect(reasons[0]).toMatch(/data channel closed/);
  });

  it('closes at once over a data channel that is already closed', async () => {
    const dc = new FakeDataChannel();
    dc.readyState = 'closed';
    const a = channelFromDataChannel(dc, newMigrationId());
    await until(() => a.closed);
    await expect(a.send(new Uint8Array(1))).rejects.toThrow(/data channel closed/);
  });
});
