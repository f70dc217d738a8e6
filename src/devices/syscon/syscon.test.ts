import { describe, expect, it } from 'vitest';
import { createSysconState, Finisher, Syscon, SysconReg } from './index.ts';

function setup() {
  const events: [string, number][] = [];
  const dev = new Syscon(createSysconState(), (e, c) => events.push([e, c]));
  return { dev, events };
}

describe('Syscon (sifive,test0)', () => {
  it('0x5555 powers off with code 0 (pass)', () => {
    const { dev, events } = setup();
    dev.write(SysconReg.FINISHER, 4, Finisher.PASS);
    expect(events).toEqual([['poweroff', 0]]);
  });

  it('0x3333 | code << 16 powers off with that exit code (fail)', () => {
    const { dev, events } = setup();
    dev.write(SysconReg.FINISHER, 4, (Finisher.FAIL | (42 << 16)) >>> 0);
    dev.write(SysconReg.FINISHER, 4, (Finisher.FAIL | (0xffff << 16)) >>> 0);
    expect(events).toEqual([
      ['poweroff', 42],
      ['poweroff', 0xffff],
    ]);
  });

  it('0x7777 resets', () => {
    const { dev, events } = setup();
    dev.write(SysconReg.FINISHER, 4, Finisher.RESET);
    expect(events).toEqual([['reset', 0]]);
  });

  it('reads 0 so that a regmap read-modify-write (Linux syscon-poweroff) writes the value itself', () => {
    const { dev, events } = setup();
    const mask = 0xffffffff;
    const orig = dev.read(SysconReg.FINISHER, 4);
    dev.write(SysconReg.FINISHER, 4, ((orig & ~mask) | (Finisher.PASS & mask)) >>> 0);
    expect(orig).toBe(0);
    expect(events).toEqual([['poweroff', 0]]);
  });

  it('ignores other values and other offsets', () => {
    const { dev, events } = setup();
    dev.write(SysconReg.FINISHER, 4, 0x1234);
    dev.write(4, 4, Finisher.PASS);
    expect(events).toEqual([]);
  });
});
