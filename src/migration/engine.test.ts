/**
 * The pre-copy engine on a small example VM, in the deterministic mode: what arrives, when it
 * switches over, auto-converge, stats, and what happens when a message is corrupted, dropped
 * or the channel closes at each phase.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from './channel.ts';
import { decodeMessage, encodeReason, MAX_DATA_BYTES, MessageKind } from './protocol.ts';
import type { MigrationEvent } from './stats.ts';
import { TARGET_PAGE_SIZE } from './stream/index.ts';
import { rehearseSource } from './source.ts';
import { migrateSync, type SyncOptions } from './sync.ts';
import { toyHost, toyVm, type ToyVm } from './testing/toy-vm.ts';

function opts(vm: ToyVm, extra: Partial<SyncOptions> = {}): SyncOptions {
  return {
    instructionsPerStep: 100_000,
    runGuest: (n) => vm.write(Math.round(n / 50_000)),
    batchBytes: 16 * TARGET_PAGE_SIZE,
    ...extra,
  };
}

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on megabytes). */
function firstDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function kindOf(m: Uint8Array): number {
  return m[0]!;
}

describe('pre-copy on the example VM (deterministic)', () => {
  it('does not send a never-written page at all (Ram.written); the destination has zero there', () => {
    const vm = toyVm();
    const host = toyHost();
    // Bytes the dirty tracking never saw (no real write path does this): if the engine read
    // the page, the destination would get them.
    const page = 1;
    expect(vm.written![page]).toBe(0);
    vm.ram.fill(0xee, page * TARGET_PAGE_SIZE, (page + 1) * TARGET_PAGE_SIZE);
    const r = migrateSync(vm, host, opts(vm, { runGuest: () => {}, downtimeLimitMs: 1000 }));
    expect(r.stats.status).toBe('completed');
    const m = r.machine!;
    expect(m.ram[page * TARGET_PAGE_SIZE]).toBe(0);
    // The pages written before the migration arrive as written.
    expect(m.ram[3 * TARGET_PAGE_SIZE]).toBe(vm.ram[3 * TARGET_PAGE_SIZE]);
    expect(m.ram[3 * TARGET_PAGE_SIZE]).not.toBe(0);
    // Two of every three pages were never written: none of them went out, and the statistics
    // count only pages sent (QEMU's normal and duplicate), the same in the iterations' records.
    const sent = r.stats.ram.normal + r.stats.ram.duplicate;
    expect(sent).toBeLessThanOrEqual(Math.ceil(256 / 3) + 2);
    expect(r.stats.iterations.reduce((n, i) => n + i.normalPages + i.zeroPages, 0)).toBeLessThanOrEqual(sent);
  });

  it('folds the dirty map into Ram.written when it clears it, so a written page is read later', () => {
    const vm = toyVm();
    const host = toyHost();
    const page = 1;
    let wrote = false;
    const r = migrateSync(
      vm,
      host,
      opts(vm, {
        downtimeLimitMs: 0.1,
        runGuest: (n) => {
          if (!wrote) {
            // The guest writes page 1 once, early in the first iteration.
            vm.ram[page * TARGET_PAGE_SIZE + 7] = 0x5a;
            vm.dirty[page] = 1;
            wrote = true;
          }
          vm.write(Math.round(n / 50_000));
        },
      }),
    );
    expect(r.stats.status).toBe('completed');
    expect(vm.written![page]).toBe(1);
    expect(r.machine!.ram[page * TARGET_PAGE_SIZE + 7]).toBe(0x5a);
    expect(firstDiff(r.machine!.ram, vm.ram)).toBe(-1);
  });

  it('moves RAM and device state; the destination holds exactly the paused source', () => {
    const vm = toyVm();
    // Every page written once: the first pass sends all of them, long enough for the guest to
    // dirty pages again.
    vm.written!.fill(1);
    const host = toyHost();
    const r = migrateSync(vm, host, opts(vm, { downtimeLimitMs: 0.1 }));
    expect(r.stats.status).toBe('completed');
    expect(vm.released).toBe(true);
    expect(r.machine).toBe(host.built[0]);
    expect(host.afterLoads).toBe(1);
    const m = r.machine!;
    expect(firstDiff(m.ram, vm.machine.ram)).toBe(-1);
    expect(m.uart).toEqual(vm.machine.uart);
    expect(m.harts).toEqual(vm.machine.harts);
    expect(m.harts[0]!.pc).toBe(vm.machine.harts[0]!.pc);
    // The guest ran during pre-copy and kept dirtying pages: more than one iteration.
    expect(r.guestInstructions).toBeGreaterThan(0);
    expect(r.stats.ram['dirty-sync-count']).toBeGreaterThan(1);
    expect(r.stats.ram.duplicate).toBeGreaterThan(0);
    expect(r.stats.ram.normal).toBeGreaterThanOrEqual(Math.ceil(256 / 3));
    expect(r.stats.ram.remaining).toBe(0);
    expect(r.stats.downtime).toBeGreaterThan(0);
  });

  it('runs a guest slice per sliceBytes of RAM read, sending each smaller batch before reading the next', () => {
    const run = (extra: Partial<SyncOptions>) => {
      const vm = toyVm();
      vm.written!.fill(1);
      let slices = 0;
      let dataBeforeFirstSlice = 0;
      let data = 0;
      const r = migrateSync(vm, toyHost(), {
        ...opts(vm, extra),
        runGuest: (n) => {
          if (slices++ === 0) dataBeforeFirstSlice = data;
          vm.write(Math.round(n / 50_000));
        },
        wire: (m, to) => {
          if (to === 'destination' && kindOf(m) === MessageKind.DATA) data++;
          return m;
        },
      });
      expect(r.stats.status).toBe('completed');
      return { slices, dataBeforeFirstSlice };
    };
    const each = run({});
    const every4 = run({ sliceBytes: 64 * TARGET_PAGE_SIZE });
    // 256 written pages, 16 per step: a slice after every step, or after every fourth.
    expect(each.slices).toBeGreaterThanOrEqual(16);
    expect(every4.slices).toBeLessThanOrEqual(each.slices / 3);
    // The four batches before the first slice each went out as DATA of its own (after the configuration's).
    expect(every4.dataBeforeFirstSlice - each.dataBeforeFirstSlice).toBeGreaterThanOrEqual(3);
  });

  it('a batch leaves no message of a few bytes behind (its section end waits for the next batch)', () => {
    const vm = toyVm();
    vm.written!.fill(1);
    vm.ram.fill(0x5a); // every page a full record
    const sizes: number[] = [];
    let phase: 'setup' | 'pre-copy' | 'paused' = 'setup';
    const r = migrateSync(vm, toyHost(), {
      ...opts(vm, { batchBytes: 32 * TARGET_PAGE_SIZE, messageBytes: 32 * TARGET_PAGE_SIZE, downtimeLimitMs: 1000 }),
      onEvent: (e) => {
        if (e.type === 'status' && e.stats.status === 'device') phase = 'paused';
      },
      wire: (m, to) => {
        if (to === 'source' && kindOf(m) === MessageKind.ACCEPT) phase = 'pre-copy';
        else if (to === 'destination' && phase === 'pre-copy' && kindOf(m) === MessageKind.DATA) sizes.push(m.length);
        return m;
      },
    });
    expect(r.stats.status).toBe('completed');
    // 32 pages per batch are a little over one message: the message fills after the 32nd page
    // and the section's end (EOS and footer, 14 bytes) is left. It went out alone after every
    // batch; now only after an iteration's last batch (the source drains before switching over).
    const [ramStart, ...pages] = sizes;
    expect(ramStart).toBeLessThan(TARGET_PAGE_SIZE);
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.filter((n) => n < TARGET_PAGE_SIZE).length).toBeLessThanOrEqual(r.stats.iterations.length);
    expect(firstDiff(r.machine!.ram, vm.ram)).toBe(-1);
  });

  it('a writer chunk longer than one message (messageBytes at the maximum) goes out split, and arrives whole', () => {
    const vm = toyVm(512);
    vm.written!.fill(1);
    for (let p = 0; p < 512; p++) vm.machine.ram.fill((p % 250) + 1, p * TARGET_PAGE_SIZE, (p + 1) * TARGET_PAGE_SIZE);
    const sizes: number[] = [];
    const host = toyHost();
    const r = migrateSync(vm, host, {
      ...opts(vm, { batchBytes: 512 * TARGET_PAGE_SIZE, messageBytes: MAX_DATA_BYTES }),
      wire: (m, to) => (to === 'destination' && kindOf(m) === MessageKind.DATA && sizes.push(m.length), m),
    });
    expect(r.stats.status).toBe('completed');
    expect(Math.max(...sizes)).toBe(MAX_MESSAGE_BYTES);
    expect(firstDiff(r.machine!.ram, vm.machine.ram)).toBe(-1);
  });

  it('is reproducible: two runs give the same stats and state', () => {
    const run = () => {
      const vm = toyVm();
      const r = migrateSync(vm, toyHost(), opts(vm));
      return { stats: r.stats, ram: r.machine!.ram, guest: r.guestInstructions };
    };
    const a = run();
    const b = run();
    expect(a.stats).toEqual(b.stats);
    expect(a.guest).toBe(b.guest);
    expect(firstDiff(a.ram, b.ram)).toBe(-1);
  });

  it('switches over only once the remaining bytes fit the downtime limit at the measured bandwidth', () => {
    const vm = toyVm(512);
    vm.workingSetPages = 64;
    const records: MigrationEvent[] = [];
    const r = migrateSync(vm, toyHost(), opts(vm, { downtimeLimitMs: 0.05, onEvent: (e) => records.push(e), autoConverge: false }));
    expect(r.stats.status).toBe('completed');
    const its = r.stats.iterations;
    const limitBytes = (s: (typeof records)[number]['stats']) => s.ram.bandwidth * 0.05;
    const iterEvents = records.filter((e): e is Extract<MigrationEvent, { type: 'iteration' }> => e.type === 'iteration');
    expect(iterEvents.length).toBe(its.length);
    // Every iteration but the last left more than the limit; the last one left at most the limit.
    for (const e of iterEvents.slice(0, -1)) expect(e.record.remainingPages * TARGET_PAGE_SIZE).toBeGreaterThan(limitBytes(e.stats));
    const last = iterEvents.at(-1)!;
    expect(last.record.remainingPages * TARGET_PAGE_SIZE).toBeLessThanOrEqual(limitBytes(last.stats));
    // The first pass sends only pages that may be nonzero (the toy writes every third page);
    // the never-written ones are the stream's unsent zero pages, counted as zero pages.
    expect(its[0]!.pagesDirtied).toBe(Math.ceil(512 / 3));
  });

  it('auto-converge throttles a guest that dirties faster than half the transfer rate, step by step', () => {
    const vm = toyVm(1024);
    vm.workingSetPages = 1024;
    // ~500 pages per step against a 16-page batch: far more dirtied than sent.
    const r = migrateSync(vm, toyHost(), opts(vm, { runGuest: (n) => vm.write(Math.round(n / 200)), downtimeLimitMs: 0.2 }));
    expect(r.stats.status).toBe('completed');
    const throttles = r.stats.iterations.map((i) => i.throttle);
    expect(Math.max(...throttles)).toBeGreaterThanOrEqual(20);
    for (let i = 1; i < throttles.length; i++) expect(throttles[i]! - throttles[i - 1]!).toBeLessThanOrEqual(20);
    expect(throttles[0]).toBe(0);
    expect(r.stats['cpu-throttle-percentage']).toBe(Math.max(...throttles));
    // Without auto-converge the same guest never converges (the guard stops it).
    const vm2 = toyVm(1024);
    expect(() =>
      migrateSync(vm2, toyHost(), opts(vm2, { runGuest: (n) => vm2.write(Math.round(n / 200)), downtimeLimitMs: 0.2, autoConverge: false, maxTurns: 2_000 })),
    ).toThrow(/no end/);
  });

  it('refuses up front on source blockers, sending nothing', () => {
    const vm = toyVm();
    vm.blockList = [{ reason: 'a host pass-through device' }];
    const seen: Uint8Array[] = [];
    const r = migrateSync(vm, toyHost(), opts(vm, { wire: (m) => (seen.push(m), m) }));
    expect(r.stats.status).toBe('failed');
    expect(r.stats['blocked-reasons']).toEqual(['a host pass-through device']);
    expect(seen).toEqual([]);
    expect(vm.released).toBe(false);
  });

  it('a destination that cannot host the VM refuses with its reason before the source changes anything', () => {
    const vm = toyVm();
    vm.dirty[7] = 1;
    const before = vm.dirty.slice();
    const host = toyHost('not enough memory for 1 MiB');
    const r = migrateSync(vm, host, opts(vm));
    expect(r.stats.status).toBe('failed');
    expect(r.stats['error-desc']).toBe('destination refused: not enough memory for 1 MiB');
    expect(vm.dirty).toEqual(before);
    expect(r.guestInstructions).toBe(0);
    expect(r.machine).toBeUndefined();
  });

  it('a corrupted message at any point before LOADED fails the migration on both sides; the source keeps its VM', () => {
    // Count the messages of a clean run, then corrupt each one in turn.
    const counts = { destination: 0, source: 0 };
    const clean = toyVm(64);
    migrateSync(clean, toyHost(), opts(clean, { wire: (m, to) => (counts[to]++, m) }));
    expect(counts.destination).toBeGreaterThan(5);
    for (const to of ['destination', 'source'] as const) {
      for (let k = 0; k < counts[to]; k++) {
        const vm = toyVm(64);
        const host = toyHost();
        let kind = 0;
        const r = migrateSync(vm, host, opts(vm, {
          wire: (m, dir, i) => {
            if (dir !== to || i !== k) return m;
            kind = kindOf(m);
            const bad = m.slice();
            const at = bad.length > 1 ? 1 + ((k * 7919) % (bad.length - 1)) : 0;
            bad[at]! ^= bad.length > 1 ? 0x10 : 0xff;
            return bad;
          },
        }));
        if (kind === MessageKind.GO) {
          // After LOADED the source has let go; the destination cannot know it did, so it holds the VM, not running.
          expect(r.stats.status).toBe('completed');
          expect(r.destinationStatus).toBe('in-doubt');
          expect(r.machine).toBeUndefined();
          expect(r.inDoubt).toBeDefined();
          expect(host.discarded).toEqual([]);
          continue;
        }
        expect(r.stats.status, `${to} #${k} (kind ${kind})`).toBe('failed');
        expect(vm.released).toBe(false);
        expect(r.machine).toBeUndefined();
        expect(host.discarded).toEqual(host.built);
      }
    }
  });

  it('a channel that closes or a message that is lost at any point before LOADED leaves the VM with the source', () => {
    const vm0 = toyVm(64);
    const kinds: number[] = [];
    migrateSync(vm0, toyHost(), opts(vm0, { wire: (m, to) => (to === 'destination' && kinds.push(kindOf(m)), m) }));
    for (const fault of ['close', 'drop'] as const) {
      for (let k = 0; k < kinds.length - 1; k++) {
        const vm = toyVm(64);
        const host = toyHost();
        const r = migrateSync(vm, host, opts(vm, { wire: (m, to, i) => (to === 'destination' && i === k ? fault : m), replyTimeoutMs: 5 }));
        expect(r.stats.status, `${fault} at #${k}`).toBe('failed');
        expect(vm.released).toBe(false);
        expect(r.machine).toBeUndefined();
        expect(host.discarded).toEqual(host.built);
      }
    }
  });

  it('a GO that never comes leaves the loaded VM held at the destination, not running and not discarded (nothing lost, never two)', () => {
    const vm0 = toyVm(64);
    const kinds: number[] = [];
    migrateSync(vm0, toyHost(), opts(vm0, { wire: (m, to) => (to === 'destination' && kinds.push(kindOf(m)), m) }));
    const go = kinds.length - 1;
    expect(kinds[go]).toBe(MessageKind.GO);
    for (const fault of ['close', 'drop'] as const) {
      const vm = toyVm(64);
      const host = toyHost();
      const r = migrateSync(vm, host, opts(vm, { wire: (m, to, i) => (to === 'destination' && i === go ? fault : m) }));
      // The source got LOADED and let go: the VM exists only in the destination's hands.
      expect(r.stats.status, fault).toBe('completed');
      expect(vm.released, fault).toBe(true);
      expect(r.destinationStatus, fault).toBe('in-doubt');
      expect(r.destinationError, fault).toMatch(/channel closed|source finished/);
      expect(r.machine, fault).toBeUndefined();
      expect(r.inDoubt, fault).toBe(host.built[0]);
      expect(host.discarded, fault).toEqual([]);
    }
    // LOADED lost instead: the source resumes its guest, and the destination is in doubt too, holding a copy nobody runs.
    const vm = toyVm(64);
    const host = toyHost();
    const r = migrateSync(vm, host, opts(vm, { wire: (m, to) => (to === 'source' && kindOf(m) === MessageKind.LOADED ? 'close' : m) }));
    expect(r.stats.status).toBe('failed');
    expect(vm.released).toBe(false);
    expect(r.destinationStatus).toBe('in-doubt');
    expect(r.machine).toBeUndefined();
  });

  it('a CANCEL after LOADED (the source timed out waiting for it) is definite: the destination discards', () => {
    const vm = toyVm(64);
    const host = toyHost();
    // LOADED is lost on the way: the source's reply timeout fires and it cancels, which reaches the destination.
    const r = migrateSync(vm, host, opts(vm, { replyTimeoutMs: 5, wire: (m, to) => (to === 'source' && kindOf(m) === MessageKind.LOADED ? 'drop' : m) }));
    expect(r.stats.status).not.toBe('completed');
    expect(vm.released).toBe(false);
    expect(r.destinationStatus).toBe('failed');
    expect(r.destinationError).toMatch(/source (cancelled|failed)/);
    expect(r.inDoubt).toBeUndefined();
    expect(host.discarded).toEqual(host.built);
  });

  it('the destination reports its own errors to the source (ERROR with reason)', () => {
    const vm = toyVm(64);
    let sawError = '';
    // Truncate the stream: swallow the last DATA message before END.
    const kinds: number[] = [];
    const base = toyVm(64);
    migrateSync(base, toyHost(), opts(base, { wire: (m, to) => (to === 'destination' && kinds.push(kindOf(m)), m) }));
    const lastData = kinds.lastIndexOf(MessageKind.DATA);
    const r = migrateSync(vm, toyHost(), opts(vm, {
      wire: (m, to, i) => {
        if (to === 'source' && kindOf(m) === MessageKind.ERROR) {
          const d = decodeMessage(m);
          if (typeof d !== 'string' && 'reason' in d) sawError = d.reason;
        }
        return to === 'destination' && i === lastData ? 'drop' : m;
      },
    }));
    expect(r.stats.status).toBe('failed');
    expect(sawError).toMatch(/stream refused/);
    expect(r.stats['error-desc']).toContain('destination failed');
  });

  it('a CANCEL from the source makes the destination discard', () => {
    const vm = toyVm(64);
    const host = toyHost();
    const r = migrateSync(vm, host, opts(vm, {
      wire: (m, to, i) => (to === 'destination' && i === 3 ? encodeReason(MessageKind.CANCEL, 'user') : m),
    }));
    expect(r.destinationError).toBe('source cancelled: user');
    expect(r.machine).toBeUndefined();
    expect(host.discarded.length).toBe(1);
  });

  it('rehearses the pause after sending the configuration, unless the host rehearsed it ahead (rehearseSource)', () => {
    const readsOfSections = (rehearsed: boolean): number => {
      const vm = toyVm(64);
      let reads = 0;
      const counted: ToyVm = { ...vm, sections: () => (reads++, vm.sections()) };
      const r = migrateSync(counted, toyHost(), opts(vm, { rehearsed }));
      expect(r.stats.status).toBe('completed');
      return reads;
    };
    // Once for the rehearsal, once for the stop-and-copy; a host that rehearsed ahead saves the first.
    expect(readsOfSections(false)).toBe(2);
    expect(readsOfSections(true)).toBe(1);
    const vm = toyVm(64);
    let reads = 0;
    rehearseSource({ ...vm, sections: () => (reads++, vm.sections()) });
    expect(reads).toBe(1);
  });
});
