import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader, ByteWriter } from './bytes.ts';
import { EndOfInput } from './errors.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

group('ByteWriter / ByteReader', () => {
  it('writes big-endian, as qemu_put_be*', () => {
    const w = new ByteWriter(1);
    w.u8(0x01);
    w.u16(0x0203);
    w.u32(0x04050607);
    w.i32(-2);
    w.u64(0x08090a0b0c0d0e0fn);
    w.i64(-1n);
    w.u64n(2 ** 52 + 3);
    w.f64(1);
    w.str8(Uint8Array.of(0x61, 0x62));
    expect(hex(w.take())).toBe(
      '01' + '0203' + '04050607' + 'fffffffe' + '08090a0b0c0d0e0f' + 'ffffffffffffffff' + '0010000000000003' + '3ff0000000000000' + '026162',
    );
    expect(w.length).toBe(0);
  });

  it('refuses values outside the field type (a bug in the caller)', () => {
    const w = new ByteWriter();
    expect(() => w.u8(256)).toThrow(RangeError);
    expect(() => w.u16(-1)).toThrow(RangeError);
    expect(() => w.u32(1.5)).toThrow(RangeError);
    expect(() => w.i32(0x80000000)).toThrow(RangeError);
    expect(() => w.u64(-1n)).toThrow(RangeError);
    expect(() => w.u64(1n << 64n)).toThrow(RangeError);
    expect(() => w.i64(1n << 63n)).toThrow(RangeError);
    expect(() => w.u64n(2 ** 53)).toThrow(RangeError);
  });

  it('reads back what it wrote, for any values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
        fc.maxSafeNat(),
        fc.double(),
        (u32, u64, i64, n, d) => {
          const w = new ByteWriter(8);
          w.u32(u32);
          w.u64(u64);
          w.i64(i64);
          w.u64n(n);
          w.f64(d);
          const r = new ByteReader(w.take());
          expect([r.u32(), r.u64(), r.i64()]).toEqual([u32, u64, i64]);
          const [hi, lo] = r.u64Halves();
          expect(hi * 2 ** 32 + lo).toBe(n);
          expect(Object.is(r.f64(), d)).toBe(true);
          expect(r.remaining).toBe(0);
        },
      ),
    );
  });

  it('throws EndOfInput with the absolute offset when a read passes the end', () => {
    const r = new ByteReader(Uint8Array.of(1, 2, 3), 100);
    expect(r.u16()).toBe(0x0102);
    expect(r.offset).toBe(102);
    try {
      r.u32();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EndOfInput);
      expect((e as EndOfInput).offset).toBe(103);
      expect((e as EndOfInput).wanted).toBe(3);
    }
    expect(r.pos).toBe(2); // a failed read consumes nothing
    expect(r.peekU8()).toBe(3);
    r.u8();
    expect(r.peekU8()).toBe(-1);
  });
});
