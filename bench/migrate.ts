/**
 * `npm run bench:migrate`: live migration of a 256 MiB Linux guest from this thread to a
 * destination in a worker thread (one persistent worker, as a receiving tab's VM worker) over
 * a worker_threads MessagePort channel (src/transport), 5 migrations per workload:
 *
 *   idle         the guest sits at the shell prompt
 *   16 MiB/s     a guest shell loop copying a 4 MiB file four times each second (by `date`)
 *                into the RAM-backed root file system, with the guest clock following wall
 *                time as in the browser (src/host/pacer.ts): 16 MiB per host second; the rate
 *                measured over 500 ms before migrating is reported
 *   rewrite      a guest awk program rebuilding 16 MiB strings as fast as it can (a working set
 *                of several tens of MiB; auto-converge throttles it)
 *   synthetic    extra line: the host marks 16 MiB/s of guest pages dirty (contents unchanged)
 *
 * Reports downtime (median, max), total time, bytes sent, iterations, and the raw channel
 * bandwidth to a worker measured in the same run, with total time as a ratio to nonzero RAM /
 * bandwidth, and beside it the copy floor (copy-floor.ts: the idle guest's pages over the same
 * channel with nothing but the copies); then where the time goes (timeline medians, see
 * migrate-timeline.ts).
 */
import { fileURLToPath } from 'node:url';
import { MessageChannel, isMainThread, parentPort, workerData, type MessagePort as NodeMessagePort, type Worker } from 'node:worker_threads';
import { saveSnapshot } from '../src/machine/snapshot.ts';
import { PROMPT } from '../src/machine/testing/default-machine.ts';
import { snapshotMachine, testRestoreHost } from '../src/machine/testing/snapshot-machine.ts';
import type { VirtMachine } from '../src/machine/virt-machine.ts';
import { receiveMigration, startMigration, type DriverHooks } from '../src/migration/drive.ts';
import { machineDestinationHost, machineSourceVm, migrationAnnouncement, prepareDestination, type MigrationAnnouncement, type PreparedDestination } from '../src/migration/machine.ts';
import { rehearseSource } from '../src/migration/source.ts';
import type { MigrationStats } from '../src/migration/stats.ts';
import { restoreLinux, typeLine } from '../src/migration/testing/linux-vm.ts';
import { newMigrationId } from '../src/transport/migration-id.ts';
import { channelFromNodePort, startTypeScriptWorker } from '../src/transport/node-worker.ts';
import { clock, newTimeline, timedChannel, timedHost, type Timeline } from './migrate-timeline.ts';
import { Pacer } from '../src/host/pacer.ts';
import { firstTouchMs, nonzeroPageNumbers, nonzeroPages } from './first-touch.ts';
import { measureCopyFloor } from './copy-floor.ts';
import { median } from './stats.ts';
import { measureOverlap } from './parallelism.ts';
import { measureWorkerBandwidth } from './transport.ts';

const RUNS = 5;
const READINESS: readonly Readiness[] = ['prepared', 'cold'];
const MiB = 1 << 20;
const PAGE = 4096;
const SLICE = 200_000;
/** Quiet time before each timed migration, ms (see the explicit garbage collections). */
const SETTLE_MS = 50;

/**
 * A full garbage collection between runs when node runs with --expose-gc (as `npm run
 * bench:migrate` does): every run builds 256 MiB machines on both ends, and freeing the last
 * run's (unmapping its RAM) inside a timed migration measured the benchmark, not the engine.
 */
const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

const hooks: DriverHooks = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const tick = () => new Promise<void>((r) => setImmediate(r));

function nonzeroBytes(m: VirtMachine): number {
  return nonzeroPages(m.ram.u8) * PAGE;
}

interface Workload {
  readonly name: string;
  /** Guest time follows wall time (the Pacer, as the browser runs it) instead of instructions. */
  readonly realtime?: boolean;
  prepare?(m: VirtMachine): void;
  /** Extra work per guest slice (`ms` since the last slice). */
  afterSlice?(m: VirtMachine, ms: number): void;
}

let dirtyCursor = 0;
const workloads: Workload[] = [
  { name: 'idle' },
  {
    name: '16 MiB/s (guest copies a 4 MiB file 4 times a second, guest clock = wall clock)',
    realtime: true,
    prepare(m) {
      typeLine(
        m,
        // 64 KiB of text doubled six times (yes | head -c 4194304 alone costs ~180 M instructions).
        `yes abcdefghijklmnopqrstuvwxyz | head -c 65536 > /tmp/src; for i in 1 2 3 4 5 6; do cat /tmp/src /tmp/src > /tmp/t; mv /tmp/t /tmp/src; done; ` +
          `while :; do s=$(date +%s); for i in 1 2 3 4; do cat /tmp/src > /tmp/w$i; done; while [ $(date +%s) = $s ]; do sleep 0.05; done; done`,
      );
      for (let i = 0; i < 60; i++) m.run(1_000_000);
    },
  },
  {
    name: 'rewrite (awk rebuilding 16 MiB strings)',
    prepare(m) {
      typeLine(m, `awk 'BEGIN{for(r=0;;r++){s="x" r; while(length(s)<16777216) s=s s}}'`);
      for (let i = 0; i < 60; i++) m.run(1_000_000);
    },
  },
  {
    name: 'extra, synthetic: host marks 16 MiB/s of pages dirty (contents unchanged)',
    afterSlice(m, ms) {
      const pages = Math.round(((16 * MiB) / PAGE) * (ms / 1000));
      const region = (64 * MiB) / PAGE;
      const first = (32 * MiB) / PAGE;
      for (let i = 0; i < pages; i++) m.ram.dirty[first + (dirtyCursor++ % region)] = 1;
    },
  },
];

/**
 * How the destination worker gets ready before the source starts (the clock of total time):
 *   cold      it builds the machine when the stream's configuration arrives
 *   prepared  it builds the machine for the announced configuration and faults in the RAM
 *             pages the announcement lists (as QEMU's destination, started with -incoming
 *             before `migrate` runs), and says when it is ready; the source rehearses its
 *             pause meanwhile
 */
type Readiness = 'cold' | 'prepared';

interface DestinationRequest {
  readonly port: NodeMessagePort;
  readonly id: string;
  readonly readiness: Readiness;
  /** What the source announces (machine.ts): the machine, and the pages the stream may send. */
  readonly announcement: MigrationAnnouncement;
}
interface DestinationReady {
  readonly ready: true;
  /** ms spent preparing (0 when cold). */
  readonly prepareMs: number;
}
interface DestinationReport {
  readonly ok: boolean;
  readonly reason: string;
  readonly timeline: Timeline;
}

/** The destination worker: one migration per request, reporting when it is ready and then its timeline. */
function runDestination(): void {
  parentPort!.on('message', (req: DestinationRequest) => {
    const t = newTimeline();
    const restoreHost = testRestoreHost();
    let prepared: PreparedDestination | undefined;
    collectGarbage(); // the previous migration's machine, outside the timed run
    const t0 = performance.now();
    if (req.readiness === 'prepared') {
      const p = prepareDestination(req.announcement, restoreHost, { prefault: true });
      if ('refuse' in p) throw new Error(`destination cannot prepare: ${p.refuse}`);
      prepared = p;
      // Allocating a 256 MiB machine starts V8's marking; without this its finalization (5-20 ms
      // measured) ran when the first message arrived. A tab that prepared ahead has had the time.
      collectGarbage();
    }
    parentPort!.postMessage({ ready: true, prepareMs: performance.now() - t0 } satisfies DestinationReady);
    const channel = timedChannel(channelFromNodePort(req.port, req.id), t);
    void receiveMigration(channel, timedHost(machineDestinationHost(restoreHost, prepared), t), {}, hooks).then((r) => {
      t.at['resolved'] = clock();
      channel.close('done');
      const report: DestinationReport = { ok: r.ok, reason: r.ok ? '' : r.reason, timeline: t };
      parentPort!.postMessage(report);
    });
  });
}

/** One guest slice: `budget` instructions, with guest time following wall time when `pacer` is given. */
function slice(m: VirtMachine, pacer: Pacer | undefined, budget: number): void {
  if (!pacer) {
    m.run(budget);
    return;
  }
  pacer.budget = budget;
  pacer.step();
}

/** Runs the workload for about `ms` of host time in benchmark slices; the pages it dirtied, in MiB per host second. */
function measureDirtyRate(m: VirtMachine, w: Workload, ms: number, pacer: Pacer | undefined): number {
  m.ram.clearDirty();
  const t0 = performance.now();
  let last = t0;
  while (performance.now() - t0 < ms) {
    slice(m, pacer, SLICE);
    const now = performance.now();
    w.afterSlice?.(m, now - last);
    last = now;
  }
  let pages = 0;
  for (const d of m.ram.dirty) if (d !== 0) pages++;
  return (pages * PAGE) / MiB / ((performance.now() - t0) / 1000);
}

interface Run {
  readonly stats: MigrationStats;
  readonly dirtyMiBs: number;
  readonly nonzero: number;
  readonly src: Timeline;
  readonly dst: Timeline;
  readonly prepareMs: number;
}

async function migrateOnce(worker: Worker, snapshot: Uint8Array, w: Workload, readiness: Readiness): Promise<Run> {
  const vm = restoreLinux(snapshot);
  const m = vm.machine;
  let pacer: Pacer | undefined;
  if (w.realtime) {
    m.config.deterministic = false;
    pacer = new Pacer(m);
  }
  w.prepare?.(m);
  // Let the workload settle (in real time: the file is made and the loop runs), then measure.
  if (pacer) for (const t0 = performance.now(); performance.now() - t0 < 1500; ) slice(m, pacer, SLICE);
  // Distinct pages per 1 s window (the guest rewrites the same pages each second), two windows.
  const dirtyMiBs = (measureDirtyRate(m, w, 1000, pacer) + measureDirtyRate(m, w, 1000, pacer)) / 2;
  const nonzero = nonzeroBytes(m);
  const id = newMigrationId();
  const { port1, port2 } = new MessageChannel();
  const replies: ((m: DestinationReady | DestinationReport) => void)[] = [];
  const onReply = (m: DestinationReady | DestinationReport) => replies.shift()?.(m);
  worker.on('message', onReply);
  const ready = new Promise<DestinationReady>((resolve) => replies.push((m) => resolve(m as DestinationReady)));
  const report = new Promise<DestinationReport>((resolve) => replies.push((m) => resolve(m as DestinationReport)));
  const request: DestinationRequest = { port: port2, id, readiness, announcement: migrationAnnouncement(m) };
  worker.postMessage(request, [port2]);
  // Both ends prepare: the source rehearses its pause while the destination builds (as a tab does
  // when it announces its VM); a cold run leaves the rehearsal to the session, inside the clock.
  const prepared = readiness === 'prepared';
  if (prepared) rehearseSource(machineSourceVm(m));
  const { prepareMs } = await ready;
  collectGarbage(); // the previous runs' machines, outside the timed run
  // ...and the sweeping and unmapping that follow it on V8's helper threads (two 256 MiB machines
  // per run), which competed with both ends for this machine's two cores inside the timed run.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const src = newTimeline();
  const a = timedChannel(channelFromNodePort(port1, id), src);
  let last = performance.now();
  let guestMs = 0;
  const run = startMigration(
    machineSourceVm(m),
    a,
    {
      rehearsed: prepared,
      onEvent: (e) => {
        if (e.type === 'status' && e.stats.status === 'device') src.at['pause'] = clock();
      },
    },
    {
      ...hooks,
      runGuest: async (throttle) => {
        const t0 = performance.now();
        slice(m, pacer, Math.max(1000, Math.round(SLICE * (1 - throttle))));
        const now = performance.now();
        guestMs += now - t0;
        w.afterSlice?.(m, now - last);
        last = now;
        await tick();
      },
    },
  );
  src.at['start'] = clock();
  const stats = await run.done;

  src.at['done'] = clock();
  src.sum['guest'] = guestMs;
  const r = await report;
  worker.off('message', onReply);
  a.close('done');
  if (stats.status !== 'completed' || !r.ok) throw new Error(`migration ${stats.status}: ${stats['error-desc'] ?? r.reason}`);
  return { stats, dirtyMiBs, nonzero, src, dst: r.timeline, prepareMs };
}

const fmt = (xs: readonly number[]) => `${median(xs).toFixed(1)} (max ${Math.max(...xs).toFixed(1)})`;

function timelineReport(runs: readonly Run[]): string {
  const span = (f: (r: Run) => number | undefined) => fmt(runs.map((r) => f(r) ?? NaN));
  const d = (r: Run, a: string, b: string, sa = r.src, sb = r.dst) => (sb.at[b] ?? NaN) - (sa.at[a] ?? NaN);
  const lines = [
    ['start → ACCEPT arrives at source (setup)', span((r) => d(r, 'start', 'got ACCEPT', r.src, r.src))],
    ['ACCEPT at source → pause (RAM passes)', span((r) => d(r, 'got ACCEPT', 'pause', r.src, r.src))],
    ['pause → END handed to channel (stop-and-copy encode + send)', span((r) => d(r, 'pause', 'sent END', r.src, r.src))],
    ['pause → END arrives at destination', span((r) => d(r, 'pause', 'got END'))],
    ['END arrives → afterLoad starts (device sections, integrity)', span((r) => d(r, 'got END', 'afterLoad start', r.dst, r.dst))],
    ['afterLoad', span((r) => d(r, 'afterLoad start', 'afterLoad end', r.dst, r.dst))],
    ['afterLoad end → LOADED arrives at source', span((r) => d(r, 'afterLoad end', 'got LOADED', r.dst, r.src))],
    ['LOADED at source → GO at destination', span((r) => d(r, 'got LOADED', 'got GO', r.src, r.dst))],
    ['GO → destination resolved (resumes)', span((r) => d(r, 'got GO', 'resolved', r.dst, r.dst))],
    ['source: time awaiting channel sends (whole run)', span((r) => r.src.sum['send wait'])],
    ['source: guest slices (whole run)', span((r) => r.src.sum['guest'])],
    ['source: last DATA handed to channel → arrives', span((r) => d(r, 'sent DATA', 'got DATA'))],
    ['destination: build machine (setup)', span((r) => r.dst.sum['build machine'])],
    ['destination: handling DATA (parse, integrity, copy; whole run)', span((r) => r.dst.sum['handle DATA'])],
    ['destination: handling END (devices, integrity, afterLoad)', span((r) => r.dst.sum['handle END'])],
  ];
  return lines.map(([k, v]) => `    ${k!.padEnd(64)} ${v} ms`).join('\n');
}

async function main(): Promise<void> {
  process.stdout.write('booting a 256 MiB guest to the prompt (deterministic)...\n');
  const { machine, console } = snapshotMachine({ ramSize: 256 * MiB });
  console.runUntil(PROMPT, 3_000_000_000, 1_000_000);
  const snapshot = saveSnapshot(machine);
  const worker = startTypeScriptWorker(new URL(import.meta.url), { workerData: { migrateBenchDestination: true } });
  const mbs = await measureWorkerBandwidth('port', 256 * MiB);
  const fresh = await measureWorkerBandwidth('port', 256 * MiB, undefined, false);
  const bwBytesPerMs = (mbs * 1e6) / 1000;
  process.stdout.write(
    `raw channel bandwidth to a worker (worker_threads MessagePort, 1 MiB messages, buffers handed back as the engine does): ${mbs.toFixed(0)} MB/s ` +
      `(in fresh buffers: ${fresh.toFixed(0)} MB/s; the ratios below use the first)\n`,
  );
  const overlap = await measureOverlap(RUNS, 24, 0.3, SETTLE_MS);
  process.stdout.write(
    `two threads' overlap now (bench/parallelism.ts: 24 messages of 0.3 ms work on each side after ${SETTLE_MS} ms quiet): ` +
      `${overlap.wallMs.toFixed(1)} ms (two free cores ${overlap.parallelMs.toFixed(1)}, one shared core ${overlap.serialMs.toFixed(1)})\n`,
  );
  const idlePageNumbers = nonzeroPageNumbers(machine.ram.u8);
  const idlePages = idlePageNumbers.length;
  const touch = firstTouchMs(idlePages, machine.ram.size);
  process.stdout.write(
    `first touch of ${idlePages} pages (the idle guest's nonzero RAM) in fresh memory, as a destination's RAM is: ${touch.fresh.toFixed(1)} ms ` +
      `(the same copies into memory already touched: ${touch.warm.toFixed(1)} ms; bench/first-touch.ts)\n`,
  );
  const floorMs = await measureCopyFloor(machine.ram.u8, idlePageNumbers, RUNS, SETTLE_MS);
  const idealMs = (idlePages * PAGE) / bwBytesPerMs;
  process.stdout.write(
    `copy floor for the idle guest (bench/copy-floor.ts: a round trip, its nonzero pages copied out and in over the same channel, a round trip; ` +
      `nothing else): ${floorMs.toFixed(1)} ms, ${(floorMs / idealMs).toFixed(2)}x nonzero RAM / bandwidth = ${idealMs.toFixed(1)} ms\n`,
  );
  // Warm-up migrations (JIT on both ends), not counted.
  for (const readiness of READINESS) for (let i = 0; i < 2; i++) await migrateOnce(worker, snapshot, workloads[0]!, readiness);
  // `npm run bench:migrate -- idle 16` runs only the workloads whose names start with those words.
  const only = process.argv.slice(2);
  for (const w of workloads.filter((x) => only.length === 0 || only.some((o) => x.name.startsWith(o)))) for (const readiness of READINESS) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await migrateOnce(worker, snapshot, w, readiness));
    const down = runs.map((r) => r.stats.downtime);
    const total = runs.map((r) => r.stats['total-time']);
    const ideal = median(runs.map((r) => r.nonzero / bwBytesPerMs));
    const dirtyMiBs = runs.map((r) => (r.stats.ram['dirty-pages-rate'] * PAGE) / MiB);
    process.stdout.write(
      `${w.name}, ${readiness} destination${readiness === 'prepared' ? ` (prepared in ${fmt(runs.map((r) => r.prepareMs))} ms before the start)` : ''}:\n  downtime median ${median(down).toFixed(1)} ms, max ${Math.max(...down).toFixed(1)} ms; ` +
        `total median ${median(total).toFixed(0)} ms, max ${Math.max(...total).toFixed(0)} ms ` +
        `(${(median(total) / ideal).toFixed(2)}x nonzero RAM / bandwidth = ${ideal.toFixed(1)} ms); ` +
        `sent median ${(median(runs.map((r) => r.stats.ram.transferred)) / MiB).toFixed(1)} MiB ` +
        `(nonzero RAM ${(median(runs.map((r) => r.nonzero)) / MiB).toFixed(1)} MiB); iterations ${runs.map((r) => r.stats.ram['dirty-sync-count']).join(',')}; ` +
        `dirty rate measured before migrating (distinct pages per 1 s, two windows) ${fmt(runs.map((r) => r.dirtyMiBs))} MiB/s (host time), ` +
        `by the engine at its last sync ${dirtyMiBs.map((x) => x.toFixed(1)).join(',')} MiB/s (0: one iteration); ` +
        `throttle max ${Math.max(...runs.map((r) => r.stats['cpu-throttle-percentage']))}%; setup median ${median(runs.map((r) => r.stats['setup-time'])).toFixed(0)} ms\n` +
        `${timelineReport(runs)}\n`,
    );
  }
  await worker.terminate();
  process.exit(0);
}

const data = workerData as { migrateBenchDestination?: boolean } | null;
if (!isMainThread && data?.migrateBenchDestination === true) runDestination();
else if (isMainThread && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) void main();
