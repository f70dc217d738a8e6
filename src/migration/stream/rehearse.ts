/**
 * A rehearsal of the stop-and-copy, for the JIT. The device sections are saved (source) and
 * loaded (destination) once per migration, inside the pause, and often in a worker that never
 * ran that code: cold code runs in V8's bytecode interpreter, several times slower. Measured in
 * Node (bench:migrate): a fresh destination worker took 2.0 ms from END to afterLoad against
 * 0.6 ms warm, and idle downtime doubled (6.2 vs 3.0 ms). Each tab's VM runs in a worker of its
 * own, so in the browser the destination is always fresh.
 *
 * Rehearsing writes a whole stream with a few pages of RAM and the machine's own device
 * sections, then loads it back into those sections: every function of the pause runs before the
 * pause. Loading replaces the sections' state, so `rehearseStopAndCopy` is only for a machine
 * whose state will be overwritten before it runs (a destination's freshly built machine); a
 * source rehearses only the save (`rehearseSave`), which reads its state.
 */
import type { JsonValue } from './config.ts';
import { TARGET_PAGE_SIZE } from './format.ts';
import { keepHotClassesAlive } from './keep-maps.ts';
import { loadStream } from './loader.ts';
import { saveStreamBytes } from './save.ts';
import type { DeviceSection } from './section.ts';

/** Enough rounds for V8 to move the hot functions past its first tier. */
export const REHEARSAL_ROUNDS = 3;

/**
 * How much a rehearsal runs:
 *   'pause'  the stop-and-copy's code, with a stream of 4 pages: for a rehearsal inside a
 *            migration's clock (a session that was not rehearsed ahead, a cold destination)
 *   'ahead'  also the RAM pass's page loops, with 1 MiB of pages: for a rehearsal while the
 *            other end prepares, outside the clock. The source's RAM pass runs in a worker that
 *            never encoded a page (bench:browser, idle move: the first 512 KiB steps took 1.3
 *            and 5.7 ms, warm ones ~0.4 ms); it costs ~5-15 ms in Node.
 */
export type RehearsalScope = 'pause' | 'ahead';

const REHEARSAL_PAGES: Record<RehearsalScope, number> = { pause: 4, ahead: 256 };

/**
 * Saves `sections` into a small stream and loads it back into them, REHEARSAL_ROUNDS times. Throws if
 * the round trip fails (the sections cannot be migrated: better known before the pause).
 */
export function rehearseStopAndCopy(sections: readonly DeviceSection[], machine: JsonValue, scope: RehearsalScope = 'ahead'): void {
  keepHotClassesAlive();
  const ram = rehearsalRam(scope);
  for (let i = 0; i < REHEARSAL_ROUNDS; i++) {
    const saved = save(sections, machine, ram);
    const loaded = new Uint8Array(ram.length);
    const r = loadStream(saved, { configure: () => ({ ramBytes: loaded, sections, afterLoad: () => {} }) });
    if (!r.ok) throw new Error(`rehearsal: ${r.error.message}`);
    if (!equalBytes(loaded, ram)) throw new Error('rehearsal: RAM pages did not survive the round trip');
  }
}

/** Saves `sections` into a small stream REHEARSAL_ROUNDS times (reads them only). */
export function rehearseSave(sections: readonly DeviceSection[], machine: JsonValue, scope: RehearsalScope = 'ahead'): void {
  keepHotClassesAlive();
  const ram = rehearsalRam(scope);
  for (let i = 0; i < REHEARSAL_ROUNDS; i++) save(sections, machine, ram);
}

function rehearsalRam(scope: RehearsalScope): Uint8Array {
  const pages = REHEARSAL_PAGES[scope];
  const ram = new Uint8Array(pages * TARGET_PAGE_SIZE);
  // Every other page normal (with varied bytes), the rest zero pages: both kinds of record.
  for (let page = 0; page < pages; page += 2) {
    for (let i = 0; i < TARGET_PAGE_SIZE; i += 64) ram[page * TARGET_PAGE_SIZE + i] = (page + i) | 1;
  }
  return ram;
}

function save(sections: readonly DeviceSection[], machine: JsonValue, ram: Uint8Array): Uint8Array {
  const saved = saveStreamBytes({ blockers: [], ramBytes: ram, machine, sections });
  if (!saved.ok) throw new Error('rehearsal: the save was blocked');
  return saved.bytes;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
