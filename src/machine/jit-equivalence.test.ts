/**
 * The block compiler (core/cpu/jit) must not change what a guest does, only how fast. Two
 * deterministic machines boot Linux and run a shell loop in the same calls: one interprets
 * every instruction, the other compiles every block start asked for 16 times (thousands of
 * blocks: kernel, OpenSBI, busybox). After every call their registers, pc and instruction
 * counts are equal, and at the end so are RAM and the console output.
 */
import { describe, expect, it } from 'vitest';
import type { HartOptions } from '../core/cpu/hart.ts';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import { defaultConfig, defaultImages, PROMPT } from './testing/default-machine.ts';
import { VirtMachine } from './virt-machine.ts';

const CALL = 500_000;

function machine(hart: HartOptions): { m: VirtMachine; out: () => string } {
  const img = defaultImages();
  let out = '';
  const m = new VirtMachine(
    defaultConfig(),
    { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
    { consoleOut: (b) => (out += String.fromCharCode(...b)), disk: new MemoryBlockBackend(img.disk, { copyOnWrite: true }) },
    { hart },
  );
  return { m, out: () => out };
}

describe('block compiler against the interpreter on Linux (deterministic mode)', () => {
  it('boots and runs a shell loop to the same state, call by call', () => {
    const a = machine({ jit: false });
    const b = machine({ jitThreshold: 16 });
    const lockstep = (until: string, from: number) => {
      for (let calls = 0; !a.out().includes(until, from); calls++) {
        expect(calls, `"${until}" within ${calls} calls`).toBeLessThan(400);
        const ra = a.m.run(CALL);
        const rb = b.m.run(CALL);
        expect(rb.consumed).toBe(ra.consumed);
        const sa = a.m.hart.state;
        const sb = b.m.hart.state;
        expect([sb.pcLo, sb.pcHi, sb.instret, sb.priv, sb.mstatus]).toEqual([sa.pcLo, sa.pcHi, sa.instret, sa.priv, sa.mstatus]);
        expect(Array.from(sb.x)).toEqual(Array.from(sa.x));
        expect(Array.from(sb.f)).toEqual(Array.from(sa.f));
      }
    };
    lockstep(PROMPT, 0);
    const mark = a.out().length;
    const cmd = new TextEncoder().encode('i=0; while [ $i -lt 400 ]; do i=$((i+1)); done; echo looped $i\n');
    a.m.consoleInput(cmd);
    b.m.consoleInput(cmd);
    lockstep('looped 400', mark);
    lockstep(PROMPT, a.out().indexOf('looped 400', mark));
    expect(b.out()).toBe(a.out());
    expect(Buffer.compare(b.m.ram.u8, a.m.ram.u8)).toBe(0);
    expect(b.m.hart.jit!.compiled).toBeGreaterThan(1000);
  });
});
