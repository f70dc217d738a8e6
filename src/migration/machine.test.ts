/**
 * The prepared destination (machine.ts): a machine built, rehearsed and faulted in before the
 * migration starts is what a matching stream loads into; any other stream gets a machine of
 * its own; the migrated guest is the same either way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { machineConfiguration } from '../machine/snapshot.ts';
import { testRestoreHost } from '../machine/testing/snapshot-machine.ts';
import type { VirtMachine } from '../machine/virt-machine.ts';
import type { DestinationHost } from './destination.ts';
import { machineDestinationHost, machineSourceVm, migrationAnnouncement, parseAnnouncement, prepareDestination, type PreparedDestination } from './machine.ts';
import { makeConfiguration } from './stream/config.ts';
import { migrateSync } from './sync.ts';
import { bootSnapshots, firstDiff, restoreLinux, runBudgets, stateBytes } from './testing/linux-vm.ts';

let prompt: Uint8Array;
beforeAll(() => {
  prompt = bootSnapshots(64, 1).prompt;
});

function prepared(m: VirtMachine, prefault: boolean): PreparedDestination {
  const p = prepareDestination(makeConfiguration(m.ram.size, machineConfiguration(m)), testRestoreHost(), { prefault });
  if ('refuse' in p) throw new Error(p.refuse);
  return p;
}

function migrate(src: VirtMachine, host: DestinationHost<VirtMachine>) {
  const budgets: number[] = [];
  const r = migrateSync(machineSourceVm(src), host, {
    instructionsPerStep: 500_000,
    runGuest: (n) => (budgets.push(n), src.run(n)),
  });
  expect(r.stats.status).toBe('completed');
  return { machine: r.machine!, budgets };
}

describe('prepared destination', () => {
  it('a stream describing the prepared machine loads into it, and the guest is the same as one that never moved', () => {
    const src = restoreLinux(prompt);
    const p = prepared(src.machine, true);
    // Faulting RAM in writes zeros: the machine's RAM is still all zero, as the loader assumes.
    expect(p.target.ramZeroed).toBe(true);
    expect(p.machine.ram.u8.every((b) => b === 0)).toBe(true);
    const { machine, budgets } = migrate(src.machine, machineDestinationHost(testRestoreHost(), p));
    expect(machine === p.machine).toBe(true);
    const ref = restoreLinux(prompt);
    runBudgets(ref.machine, [...budgets, 3_000_000]);
    runBudgets(machine, [3_000_000]);
    expect(firstDiff(stateBytes(machine), stateBytes(ref.machine))).toBe(-1);
  });

  it('is used once: a second migration through the same host builds a machine of its own', () => {
    const p = prepared(restoreLinux(prompt).machine, false);
    const host = machineDestinationHost(testRestoreHost(), p);
    expect(migrate(restoreLinux(prompt).machine, host).machine === p.machine).toBe(true);
    expect(migrate(restoreLinux(prompt).machine, host).machine === p.machine).toBe(false);
  });

  it('a stream describing another machine (other RAM size) does not use it', () => {
    const other = restoreLinux(bootSnapshots(32, 1).prompt);
    const p = prepared(restoreLinux(prompt).machine, false);
    const { machine } = migrate(other.machine, machineDestinationHost(testRestoreHost(), p));
    expect(machine === p.machine).toBe(false);
    expect(machine.ram.size).toBe(32 << 20);
  });

  it('an announcement lists the pages the stream may send, and its prepared machine takes the stream', () => {
    const src = restoreLinux(prompt).machine;
    const a = migrationAnnouncement(src);
    const mayBeNonzero = (p: number) => src.ram.written[p] !== 0 || src.ram.dirty[p] !== 0;
    expect(a.pages!.length).toBe(src.ram.size / 4096);
    expect(a.pages!.every((b, p) => (b !== 0) === mayBeNonzero(p))).toBe(true);
    // Every nonzero page of the guest is listed (the others are never sent).
    for (let p = 0; p < a.pages!.length; p++) {
      if (a.pages![p] === 0) expect(src.ram.u8.subarray(p * 4096, (p + 1) * 4096).every((b) => b === 0), `page ${p}`).toBe(true);
    }
    const parsed = parseAnnouncement(a);
    if ('refuse' in parsed) throw new Error(parsed.refuse);
    const p = prepareDestination(parsed, testRestoreHost(), { prefault: true });
    if ('refuse' in p) throw new Error(p.refuse);
    expect(p.machine.ram.u8.every((b) => b === 0)).toBe(true);
    expect(migrate(src, machineDestinationHost(testRestoreHost(), p)).machine === p.machine).toBe(true);
  });

  it('refuses an announcement of the wrong shape, with the reason', () => {
    const a = migrationAnnouncement(restoreLinux(prompt).machine);
    const reason = (x: unknown) => {
      const r = parseAnnouncement(x);
      return 'refuse' in r ? r.refuse : 'accepted';
    };
    expect(reason({ ...a, pages: new Uint8Array(3) })).toMatch(/page map/);
    expect(reason({ ...a, pages: [1, 2, 3] })).toMatch(/page map/);
    expect(reason({ ...a, ramSize: 4097 })).toMatch(/RAM size/);
    expect(reason({ ...a, machine: [] })).toMatch(/machine description/);
    expect(reason('tabvm')).toMatch(/not an object/);
    expect(reason({ ...a, pages: undefined })).toBe('accepted');
  });

  it('refuses to prepare what the host cannot build, with the reason', () => {
    const m = restoreLinux(prompt).machine;
    const machine = machineConfiguration(m) as { config: object };
    const config = makeConfiguration(m.ram.size, { ...machine, config: { ...machine.config, ramSize: 32 << 20 } });
    const r = prepareDestination(config, testRestoreHost());
    expect('refuse' in r ? r.refuse : 'built').toMatch(/RAM/);
  });
});
