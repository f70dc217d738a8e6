import { describe, expect, it } from 'vitest';
import { MemoryBlockBackend } from './memory-backend.ts';

function image(len: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
}

function read(b: MemoryBlockBackend, offset: number, len: number): { ok: boolean; data: Uint8Array } {
  const data = new Uint8Array(len);
  let ok: boolean | undefined;
  b.read(offset, data, (r) => (ok = r));
  expect(ok).toBeDefined(); // completes synchronously
  return { ok: ok!, data };
}

describe('MemoryBlockBackend', () => {
  it('reads and writes in place, synchronously', () => {
    const img = image(0x3_0000);
    const b = new MemoryBlockBackend(img);
    expect(b.sizeBytes).toBe(0x3_0000);
    expect(read(b, 512, 4).data).toEqual(img.slice(512, 516));
    let ok = false;
    b.write(1024, Uint8Array.of(1, 2, 3), (r) => (ok = r));
    expect(ok).toBe(true);
    expect(img.slice(1024, 1027)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('refuses ranges outside the image', () => {
    const b = new MemoryBlockBackend(image(4096));
    expect(read(b, 4096 - 2, 4).ok).toBe(false);
    expect(read(b, -512, 4).ok).toBe(false);
    let ok = true;
    b.write(4095, Uint8Array.of(1, 2), (r) => (ok = r));
    expect(ok).toBe(false);
  });

  it('refuses writes when read-only', () => {
    const img = image(4096);
    const b = new MemoryBlockBackend(img, { readOnly: true });
    let ok = true;
    b.write(0, Uint8Array.of(9), (r) => (ok = r));
    expect(ok).toBe(false);
    expect(img[0]).toBe(0);
  });

  it('copy-on-write keeps the base image and reads back its own writes across chunks', () => {
    const img = image(0x3_0000);
    const pristine = img.slice();
    const b = new MemoryBlockBackend(img, { copyOnWrite: true });
    const data = Uint8Array.from({ length: 1024 }, (_, i) => 255 - (i & 0xff));
    b.write(0x1_0000 - 512, data, () => {}); // straddles chunks 0 and 1
    expect(img).toEqual(pristine);
    expect(b.overlayChunks).toBe(2);
    const back = read(b, 0x1_0000 - 1024, 2048).data;
    expect(back.subarray(0, 512)).toEqual(pristine.subarray(0x1_0000 - 1024, 0x1_0000 - 512));
    expect(back.subarray(512, 1536)).toEqual(data);
    expect(back.subarray(1536)).toEqual(pristine.subarray(0x1_0000 + 512, 0x1_0000 + 1024));
  });

  it('counts flushes', () => {
    const b = new MemoryBlockBackend(image(512));
    let ok = false;
    b.flush((r) => (ok = r));
    expect(ok).toBe(true);
    expect(b.flushes).toBe(1);
  });

  it('exposes the copy-on-write overlay in chunk order and takes a restored one over', () => {
    const img = image(0x2_8000); // 2.5 chunks: the last one is short
    const b = new MemoryBlockBackend(img, { copyOnWrite: true });
    expect(b.copyOnWrite).toBe(true);
    b.write(0x2_0010, Uint8Array.of(9), () => {});
    b.write(0x10, Uint8Array.of(7), () => {});
    expect(b.overlayEntries().map(([i, d]) => [i, d.length])).toEqual([
      [0, 0x1_0000],
      [2, 0x8000],
    ]);
    const copy = new MemoryBlockBackend(img, { copyOnWrite: true });
    copy.replaceOverlay(b.overlayEntries().map(([i, d]) => [i, d.slice()] as const));
    expect(read(copy, 0x10, 1).data).toEqual(Uint8Array.of(7));
    expect(read(copy, 0x2_0010, 1).data).toEqual(Uint8Array.of(9));
    expect(img[0x10]).toBe((0x10 * 7) & 0xff); // the base image is untouched
    expect(() => copy.replaceOverlay([[2, new Uint8Array(0x1_0000)]])).toThrow(RangeError);
    expect(copy.chunkBytes(3)).toBe(0);
  });
});
