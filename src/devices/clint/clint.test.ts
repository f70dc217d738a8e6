import { describe, expect, it } from 'vitest';
import { Clint, ClintReg, createClintState } from './index.ts';

function line() {
  return { level: false, set(l: boolean) { this.level = l; } };
}

function setup(harts = 1) {
  const clock = { t: 0, now() { return this.t; } };
  const msip = Array.from({ length: harts }, line);
  const mtip = Array.from({ length: harts }, line);
  const clint = new Clint(createClintState(harts), clock, msip, mtip);
  const rd = (off: number) => clint.read(off, 4);
  const wr = (off: number, v: number) => clint.write(off, 4, v);
  /** A 64-bit store as the bus splits it: low word first. */
  const wr64 = (off: number, v: bigint) => {
    wr(off, Number(v & 0xffff_ffffn));
    wr(off + 4, Number(v >> 32n));
  };
  const rd64 = (off: number) => BigInt(rd(off)) | (BigInt(rd(off + 4)) << 32n);
  return { clint, clock, msip, mtip, rd, wr, wr64, rd64 };
}

describe('Clint', () => {
  it('mtimecmp resets to all ones: no timer is due, ever', () => {
    const { clint, clock, mtip, rd64 } = setup();
    expect(rd64(ClintReg.MTIMECMP_BASE)).toBe(0xffff_ffff_ffff_ffffn);
    clock.t = 1e12;
    clint.update();
    expect(mtip[0]!.level).toBe(false);
    expect(clint.ticksUntilTimer()).toBe(Infinity);
  });

  it('mtime follows the guest clock', () => {
    const { clint, clock, rd64 } = setup();
    clock.t = 0x1_2345_6789;
    expect(rd64(ClintReg.MTIME)).toBe(0x1_2345_6789n);
    expect(clint.mtime()).toBe(0x1_2345_6789);
  });

  it('MTIP rises when mtime reaches mtimecmp and falls when mtimecmp moves ahead', () => {
    const { clint, clock, mtip, wr64 } = setup();
    clock.t = 1000;
    wr64(ClintReg.MTIMECMP_BASE, 1500n);
    expect(mtip[0]!.level).toBe(false);
    expect(clint.ticksUntilTimer()).toBe(500);
    clock.t = 1499;
    clint.update();
    expect(mtip[0]!.level).toBe(false);
    clock.t = 1500;
    clint.update();
    expect(mtip[0]!.level).toBe(true);
    expect(clint.ticksUntilTimer()).toBe(0);
    wr64(ClintReg.MTIMECMP_BASE, 3000n); // the write itself re-evaluates the line
    expect(mtip[0]!.level).toBe(false);
    expect(clint.ticksUntilTimer()).toBe(1500);
  });

  it('writing a compare value already in the past raises MTIP at once', () => {
    const { clock, mtip, wr64 } = setup();
    clock.t = 5000;
    wr64(ClintReg.MTIMECMP_BASE, 10n);
    expect(mtip[0]!.level).toBe(true);
  });

  it('mtimecmp halves read back', () => {
    const { wr, rd } = setup();
    wr(ClintReg.MTIMECMP_BASE, 0x89abcdef);
    wr(ClintReg.MTIMECMP_BASE + 4, 0x01234567);
    expect(rd(ClintReg.MTIMECMP_BASE)).toBe(0x89abcdef);
    expect(rd(ClintReg.MTIMECMP_BASE + 4)).toBe(0x01234567);
  });

  it('an mtime write moves an offset kept in state; the clock keeps counting under it', () => {
    const { clint, clock, wr64, rd64, mtip } = setup();
    clock.t = 100;
    wr64(ClintReg.MTIMECMP_BASE, 0x1_0000_0000n);
    wr64(ClintReg.MTIME, 0xffff_fff0n);
    expect(rd64(ClintReg.MTIME)).toBe(0xffff_fff0n);
    expect(clint.state.mtimeOffset).toBe(0xffff_fff0 - 100);
    clock.t = 116;
    clint.update();
    expect(clint.mtime()).toBe(0x1_0000_0000);
    expect(mtip[0]!.level).toBe(true);
  });

  it('msip bit 0 drives the MSIP line', () => {
    const { wr, rd, msip } = setup();
    wr(ClintReg.MSIP_BASE, 0xffffffff);
    expect(rd(ClintReg.MSIP_BASE)).toBe(1);
    expect(msip[0]!.level).toBe(true);
    wr(ClintReg.MSIP_BASE, 0);
    expect(msip[0]!.level).toBe(false);
  });

  it('supports several harts with their own msip and mtimecmp', () => {
    const { clint, clock, wr, wr64, msip, mtip } = setup(2);
    wr(ClintReg.MSIP_BASE + 4, 1);
    expect(msip.map((l) => l.level)).toEqual([false, true]);
    wr64(ClintReg.MTIMECMP_BASE + 8, 50n);
    wr64(ClintReg.MTIMECMP_BASE, 80n);
    expect(clint.ticksUntilTimer()).toBe(50);
    clock.t = 60;
    clint.update();
    expect(mtip.map((l) => l.level)).toEqual([false, true]);
    expect(clint.ticksUntilTimer()).toBe(0);
  });

  it('afterLoad rebuilds the compare cache and lines from replaced state', () => {
    const a = setup();
    a.clock.t = 10;
    a.wr64(ClintReg.MTIMECMP_BASE, 20n);
    a.wr(ClintReg.MSIP_BASE, 1);
    const b = setup();
    b.clock.t = 25;
    b.clint.state.mtimecmp.set(a.clint.state.mtimecmp);
    b.clint.state.msip.set(a.clint.state.msip);
    b.clint.state.mtimeOffset = a.clint.state.mtimeOffset;
    b.clint.afterLoad();
    expect(b.mtip[0]!.level).toBe(true);
    expect(b.msip[0]!.level).toBe(true);
    expect(b.clint.ticksUntilTimer()).toBe(0);
  });
});
