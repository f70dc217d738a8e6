import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../migration/channel.ts';
import {
  FRAME_MAGIC, FrameType, HEADER_BYTES, MAX_REASON_BYTES, closePayload, closeReason, decodeFrame, encodeHeader,
  helloHeardPeer, helloPayload,
  MAX_RETURN_BYTES,
} from './frame.ts';
import { migrationIdBytes, newMigrationId } from './migration-id.ts';

const ID = newMigrationId();
const ID_BYTES = migrationIdBytes(ID);

function wire(type: FrameType, seq: number, payload: Uint8Array, sender = 7): [Uint8Array, Uint8Array] {
  return [encodeHeader(type, ID_BYTES, sender, seq, payload.byteLength), payload];
}

describe('frame', () => {
  it('round-trips every frame type', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (payload, sender, seq) => {
          const decoded = decodeFrame(wire(FrameType.DATA, seq, payload, sender), ID_BYTES);
          expect(decoded).toEqual({ kind: 'frame', frame: { type: FrameType.DATA, sender, seq, payload } });
        },
      ),
    );
    const hello = decodeFrame(wire(FrameType.HELLO, 0, helloPayload(0xdeadbeef)), ID_BYTES);
    expect(hello.kind === 'frame' && helloHeardPeer(hello.frame.payload)).toBe(0xdeadbeef);
    expect(decodeFrame(wire(FrameType.ACK, 12, new Uint8Array(0)), ID_BYTES).kind).toBe('frame');
    const close = decodeFrame(wire(FrameType.CLOSE, 0, closePayload('bye ✓')), ID_BYTES);
    expect(close.kind === 'frame' && closeReason(close.frame.payload)).toBe('bye ✓');
  });

  it('writes the documented header layout', () => {
    const header = encodeHeader(FrameType.ACK, ID_BYTES, 0x01020304, 0x0a0b0c0d, 0);
    const view = new DataView(header.buffer);
    expect(header.byteLength).toBe(HEADER_BYTES);
    expect(view.getUint32(0)).toBe(FRAME_MAGIC);
    expect([header[4], header[5], view.getUint16(6)]).toEqual([1, FrameType.ACK, 0]);
    expect(header.slice(8, 24)).toEqual(ID_BYTES);
    expect([view.getUint32(24), view.getUint32(28), view.getUint32(32)]).toEqual([0x01020304, 0x0a0b0c0d, 0]);
  });

  it('calls traffic of another shape, magic or migration foreign', () => {
    const good = wire(FrameType.DATA, 0, new Uint8Array(3));
    const badMagic = good[0].slice();
    badMagic[0] ^= 1;
    const other = [encodeHeader(FrameType.DATA, migrationIdBytes(newMigrationId()), 7, 0, 3), new Uint8Array(3)];
    for (const message of [undefined, null, 'hello', good[0], [good[0]], [good[0], good[1], good[1]], [good[0], [1, 2, 3]],
      [good[0].subarray(1), good[1]], [badMagic, good[1]], other]) {
      expect(decodeFrame(message, ID_BYTES).kind).toBe('foreign');
    }
  });

  it('rejects every corrupted header field of a frame that claims this migration', () => {
    const cases: [string, (h: DataView) => void, Uint8Array?][] = [
      ['version', (h) => h.setUint8(4, 2)],
      ['unknown type', (h) => h.setUint8(5, 9)],
      ['type 0', (h) => h.setUint8(5, 0)],
      ['flags', (h) => h.setUint16(6, 0x8000)],
      ['sender 0', (h) => h.setUint32(24, 0)],
      ['length too long', (h) => h.setUint32(32, 4)],
      ['length too short', (h) => h.setUint32(32, 2)],
      ['length huge', (h) => h.setUint32(32, 0xffffffff)],
    ];
    for (const [name, corrupt] of cases) {
      const [header, payload] = wire(FrameType.DATA, 0, new Uint8Array(3));
      corrupt(new DataView(header.buffer));
      const decoded = decodeFrame([header, payload], ID_BYTES);
      expect(decoded.kind, name).toBe('invalid');
    }
  });

  it('enforces the payload size of each type', () => {
    expect(decodeFrame(wire(FrameType.DATA, 0, new Uint8Array(MAX_MESSAGE_BYTES)), ID_BYTES).kind).toBe('frame');
    expect(decodeFrame(wire(FrameType.DATA, 0, new Uint8Array(MAX_MESSAGE_BYTES + 1)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.ACK, 0, new Uint8Array(1)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.HELLO, 0, new Uint8Array(3)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.HELLO, 1, helloPayload(0)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.CLOSE, 0, new Uint8Array(MAX_REASON_BYTES + 1)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.CLOSE, 3, new Uint8Array(0)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.RETURN, 0, new Uint8Array(MAX_RETURN_BYTES)), ID_BYTES).kind).toBe('frame');
    expect(decodeFrame(wire(FrameType.RETURN, 0, new Uint8Array(MAX_RETURN_BYTES + 1)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.RETURN, 0, new Uint8Array(0)), ID_BYTES).kind).toBe('invalid');
    expect(decodeFrame(wire(FrameType.RETURN, 1, new Uint8Array(8)), ID_BYTES).kind).toBe('invalid');
  });

  it('refuses a payload in shared memory', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8));
    const invalid = decodeFrame(wire(FrameType.DATA, 0, shared), ID_BYTES);
    expect(invalid).toMatchObject({ kind: 'invalid', sender: 7, reason: 'payload in shared memory' });
  });

  it('never throws on arbitrary input, including random bytes after a valid prefix', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        decodeFrame(x, ID_BYTES);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 64 }),
        (typeAndFlags, tail, payload) => {
          const [header] = wire(FrameType.DATA, 0, payload);
          header.set(typeAndFlags, 4);
          header.set(tail, 28);
          const decoded = decodeFrame([header, payload], ID_BYTES);
          expect(['frame', 'invalid']).toContain(decoded.kind);
        }),
    );
  });

  it('cuts a long CLOSE reason at a UTF-8 character boundary and survives invalid UTF-8', () => {
    const cut = closePayload('é'.repeat(MAX_REASON_BYTES));
    expect(cut.byteLength).toBe(MAX_REASON_BYTES);
    expect(closeReason(cut)).toBe('é'.repeat(MAX_REASON_BYTES / 2));
    const odd = closePayload('a' + 'é'.repeat(MAX_REASON_BYTES));
    expect(odd.byteLength).toBe(MAX_REASON_BYTES - 1);
    expect(closeReason(new Uint8Array([0xff, 0xfe]))).toBe('(reason not valid UTF-8)');
  });
});
