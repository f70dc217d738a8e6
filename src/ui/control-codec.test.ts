import { describe, expect, it } from 'vitest';
import { decodeControl, encodeControl, MAX_CONTROL_BYTES } from './control-codec.ts';

describe('control messages over a WebRTC link', () => {
  it('carry a move announcement with its page map, compactly, and BigInts', () => {
    const pages = new Uint8Array(65_536);
    // An idle guest's map: clusters of written pages.
    for (const [from, to] of [[0, 40], [512, 2600], [30_000, 30_001], [65_000, 65_536]] as const) pages.fill(1, from, to);
    pages[100] = 1;
    pages[105] = 1; // a short gap inside a run
    const message = { type: 'migrate-reply', ok: true, announcement: { ramSize: 256 << 20, machine: { board: 'virt' }, pages }, mtime: 123456789012345678901n };
    const text = encodeControl(message);
    expect(text.length).toBeLessThan(8_000);
    const back = decodeControl(text) as typeof message;
    expect(back.announcement.pages).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.announcement.pages).equals(Buffer.from(pages))).toBe(true);
    expect(back.mtime).toBe(123456789012345678901n);
    expect({ ...back, announcement: { ...back.announcement, pages: undefined } }).toEqual({ ...message, announcement: { ...message.announcement, pages: undefined } });
  });

  it('round-trips empty, all-zero, all-nonzero and random byte arrays', () => {
    const random = new Uint8Array(10_000).map((_, i) => ((i * 2654435761) >>> 24) & (i % 3 === 0 ? 0 : 0xff));
    for (const bytes of [new Uint8Array(0), new Uint8Array(1000), new Uint8Array(300).fill(7), random]) {
      const back = decodeControl(encodeControl({ bytes })) as { bytes: Uint8Array };
      expect(Buffer.from(back.bytes).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('refuses byte arrays and BigInts a peer could forge', () => {
    const bad = [
      { $bytes: MAX_CONTROL_BYTES + 1, runs: [] },
      { $bytes: -1, runs: [] },
      { $bytes: 4, runs: [[2, 'AQEB']] }, // 3 bytes at 2 of 4
      { $bytes: 4, runs: [[-1, 'AQ==']] },
      { $bytes: 4, runs: 'AQ==' },
      { $bytes: 4, runs: [[0]] },
      { $bigint: '1e5' },
      { $bigint: 7 },
    ];
    for (const b of bad) expect(() => decodeControl(JSON.stringify({ x: b })), JSON.stringify(b)).toThrow();
    expect(() => decodeControl('{"x":')).toThrow();
  });
});
