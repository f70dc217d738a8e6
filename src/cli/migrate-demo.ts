/**
 * `npm run migrate-demo`: live migration between two Node worker threads. Worker A boots Linux,
 * starts a program that keeps rewriting megabytes of memory, and migrates the running VM over a
 * worker_threads channel to worker B, which loads it and runs it on; the console shows A's
 * output, then B's continuing where A stopped, and the migration statistics.
 *
 *   npm run migrate-demo -- [--deterministic] [--mem MiB] [--downtime ms] [--passes N]
 */
import { MessageChannel, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import { Pacer } from '../host/pacer.ts';
import { testRestoreHost, snapshotMachine } from '../machine/testing/snapshot-machine.ts';
import { receiveMigration, startMigration, type DriverHooks } from '../migration/drive.ts';
import { machineDestinationHost, machineSourceVm } from '../migration/machine.ts';
import { formatStats, type MigrationStats } from '../migration/stats.ts';
import { newMigrationId } from '../transport/migration-id.ts';
import { channelFromNodePort, startTypeScriptWorker } from '../transport/node-worker.ts';

interface DemoOptions {
  deterministic: boolean;
  memMiB: number;
  downtimeMs: number;
  /** Workload passes to see on A before migrating, and on B after. */
  passes: number;
}

interface WorkerInput {
  role: 'A' | 'B';
  port: NodeMessagePort;
  id: string;
  options: DemoOptions;
}

type ToMain =
  | { type: 'console'; role: 'A' | 'B'; text: string }
  | { type: 'log'; role: 'A' | 'B'; text: string }
  | { type: 'stats'; stats: MigrationStats }
  | { type: 'done'; role: 'A' | 'B' };

const WORKLOAD =
  `i=0; while true; do i=$((i+1)); awk -v i=$i 'BEGIN{s="x" i; while(length(s)<4194304) s=s s; print "pass " i ": rewrote " length(s) " bytes"}'; done`;

const hooks: DriverHooks = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
const tick = () => new Promise<void>((r) => setImmediate(r));
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

function post(m: ToMain): void {
  parentPort!.postMessage(m);
}

/** Runs the machine with a Pacer until `until()` says stop; yields to the event loop each step. */
async function runLoop(pacer: Pacer, until: () => boolean): Promise<void> {
  while (!until()) {
    const s = pacer.step();
    if (s.power !== 'on') return;
    if (s.sleepMs > 0) await hooks.sleep(Math.min(s.sleepMs, 10));
    else await tick();
  }
}

async function sourceWorker(input: WorkerInput): Promise<void> {
  const { machine: m, console: driver } = snapshotMachine({ ramSize: input.options.memMiB << 20, deterministic: input.options.deterministic });
  let sent = 0;
  let printed = '';
  const flushConsole = () => {
    const fresh = driver.output.slice(sent);
    sent = driver.output.length;
    printed = driver.output;
    if (fresh) post({ type: 'console', role: 'A', text: fresh });
  };
  const pacer = new Pacer(m);
  pacer.budget = 500_000;
  post({ type: 'log', role: 'A', text: `booting Linux (${input.options.memMiB} MiB, ${input.options.deterministic ? 'deterministic' : 'real-time'})` });
  await runLoop(pacer, () => (flushConsole(), printed.includes('~ # ')));
  m.consoleInput(Buffer.from(WORKLOAD + '\n', 'latin1'));
  await runLoop(pacer, () => (flushConsole(), printed.includes(`pass ${input.options.passes}:`)));
  post({ type: 'log', role: 'A', text: 'migrating the running VM to B' });
  const channel = channelFromNodePort(input.port, input.id);
  pacer.budget = 200_000;
  const run = startMigration(machineSourceVm(m), channel, { downtimeLimitMs: input.options.downtimeMs }, {
    ...hooks,
    runGuest: async (throttle) => {
      const full = pacer.budget;
      pacer.budget = Math.max(1000, Math.round(full * (1 - throttle)));
      pacer.step();
      pacer.budget = full;
      flushConsole();
      await tick();
    },
  });
  const stats = await run.done;
  flushConsole();
  post({ type: 'stats', stats });
  if (stats.status !== 'completed') {
    post({ type: 'log', role: 'A', text: `migration ${stats.status}: ${stats['error-desc'] ?? ''}; the VM keeps running here` });
  }
  await hooks.sleep(100);
  post({ type: 'done', role: 'A' });
}

async function destinationWorker(input: WorkerInput): Promise<void> {
  const channel = channelFromNodePort(input.port, input.id);
  let printed = '';
  const host = {
    ...testRestoreHost(),
    consoleOut: (b: Uint8Array) => {
      const t = latin1(b);
      printed += t;
      post({ type: 'console', role: 'B', text: t });
    },
  };
  const r = await receiveMigration(channel, machineDestinationHost(host), {}, hooks);
  if (!r.ok) {
    post({ type: 'log', role: 'B', text: `migration failed here: ${r.reason}` });
    post({ type: 'done', role: 'B' });
    return;
  }
  const m = r.machine;
  const last = latin1(m.consoleHistory()).split('\n').slice(-3).join('\n');
  post({ type: 'log', role: 'B', text: `received the VM (${(r.bytes / 1048576).toFixed(1)} MiB of stream); its console history ends with:\n${last}\n--- running on B from here ---` });
  const pacer = new Pacer(m);
  pacer.budget = 500_000;
  const lastPass = /pass (\d+):/g;
  let startPass = 0;
  await runLoop(pacer, () => {
    const all = [...printed.matchAll(lastPass)].map((x) => Number(x[1]));
    if (all.length === 0) return false;
    startPass ||= all[0]!;
    return all.at(-1)! >= startPass + input.options.passes;
  });
  post({ type: 'done', role: 'B' });
}

function parseArgs(argv: string[]): DemoOptions {
  const o: DemoOptions = { deterministic: false, memMiB: 256, downtimeMs: 50, passes: 2 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--deterministic') o.deterministic = true;
    else if (a === '--mem') o.memMiB = num();
    else if (a === '--downtime') o.downtimeMs = num();
    else if (a === '--passes') o.passes = num();
    else throw new Error(`unknown option ${a}\nusage: npm run migrate-demo -- [--deterministic] [--mem MiB] [--downtime ms] [--passes N]`);
  }
  return o;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { port1, port2 } = new MessageChannel();
  const id = newMigrationId();
  const colour = { A: '\x1b[36m', B: '\x1b[33m' } as const;
  let lastRole: 'A' | 'B' | undefined;
  const done = new Set<string>();
  const start = (role: 'A' | 'B', port: NodeMessagePort) => {
    const w = startTypeScriptWorker(new URL(import.meta.url), { workerData: { role, port, id, options } satisfies WorkerInput, transferList: [port] });
    w.on('error', (e) => {
      process.stderr.write(`worker ${role} failed: ${e.stack ?? String(e)}\n`);
      process.exit(1);
    });
    w.on('message', (m: ToMain) => {
      if (m.type === 'console') {
        if (lastRole !== m.role) process.stdout.write(`${colour[m.role]}[${m.role}]\x1b[0m `);
        lastRole = m.role;
        process.stdout.write(m.text);
      } else if (m.type === 'log') {
        process.stdout.write(`\n${colour[m.role]}== ${m.role}: ${m.text}\x1b[0m\n`);
        lastRole = undefined;
      } else if (m.type === 'stats') {
        process.stdout.write(`\n== migration statistics (query-migrate names)\n${formatStats(m.stats)}\n`);
        lastRole = undefined;
      } else {
        done.add(m.role);
        if (done.size === 2) {
          process.stdout.write('\n== demo finished\n');
          process.exit(0);
        }
      }
    });
    return w;
  };
  start('B', port2);
  start('A', port1);
}

if (isMainThread) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
} else {
  const input = workerData as WorkerInput;
  (input.role === 'A' ? sourceWorker(input) : destinationWorker(input)).catch((e) => {
    process.stderr.write(`worker ${input.role}: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
