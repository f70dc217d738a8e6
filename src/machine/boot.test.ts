/**
 * Boots the committed images (public/) to the busybox shell in deterministic mode and uses it
 * the way a person would: arithmetic, the virtio disk, the clock, and a clean power-off.
 */
import { describe, expect, it } from 'vitest';
import { defaultMachine, PROMPT } from './testing/default-machine.ts';

describe('Linux on the virt board (deterministic)', () => {
  it('boots to a shell, computes, reads the disk, keeps time and powers off', () => {
    const { machine, console } = defaultMachine();
    const boot = console.runUntil(PROMPT, 1_500_000_000);
    expect(boot).toContain('OpenSBI');
    expect(boot).toContain('Linux version 6.1');
    expect(boot).toContain('Run /init as init process');

    expect(console.command('echo $((6*7))').trim()).toBe('42');

    console.command('mount /dev/vda /mnt');
    expect(console.command('cat /mnt/hello.txt').trim()).toBe('Hello from the tabvm disk!');

    const t1 = Number(console.command('date +%s').trim());
    console.command('sleep 2');
    const t2 = Number(console.command('date +%s').trim());
    expect(t1).toBeGreaterThan(1_767_225_600 - 1); // the RTC epoch of the config
    expect(t2 - t1).toBeGreaterThanOrEqual(2);
    expect(t2 - t1).toBeLessThan(10);

    console.type('poweroff');
    expect(console.runUntilPowerOff()).toBe(0);
    expect(machine.board.power).toBe('off');
  });

  it('is reproducible: two deterministic boots print the same bytes after the same instructions', () => {
    const a = defaultMachine();
    const b = defaultMachine();
    a.console.runUntil(PROMPT, 1_500_000_000);
    b.console.runUntil(PROMPT, 1_500_000_000);
    expect(a.machine.hart.state.instret).toBe(b.machine.hart.state.instret);
    expect(a.console.output).toBe(b.console.output);
  });

  it('reboots: `reboot` goes through the syscon reset and boots to a working prompt again', () => {
    const { machine, console } = defaultMachine();
    console.runUntil(PROMPT, 1_500_000_000);
    console.command('mount /dev/vda /mnt');
    console.type('reboot');
    console.runUntil('reboot: Restarting system', 500_000_000);
    const again = console.runUntil(PROMPT, 1_500_000_000);
    expect(again).toContain('OpenSBI');
    expect(machine.board.power).toBe('on');
    expect(console.command('cat /proc/mounts | grep -c vda || true').trim()).toBe('0');
    console.command('mount /dev/vda /mnt');
    expect(console.command('cat /mnt/hello.txt').trim()).toBe('Hello from the tabvm disk!');
  });
});
