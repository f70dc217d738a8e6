/**
 * Tab-to-tab migration in headless Chromium, for `npm run bench:browser`: two tabs of one
 * context, a 256 MiB VM moved back and forth with "Send to tab…" while idle and while a guest
 * loop rewrites a 16 MiB file in 2 MiB pieces (paced to about 16 MiB/s), and the raw bandwidth
 * of the same worker-to-worker channel measured in the same run. Downtime, total time and bytes
 * are the engine's own statistics (query-migrate names); the dirty rate is computed from the
 * engine's page counts (pages found dirty after the first pass / pre-copy time), so the figure
 * says what the guest really did.
 *
 * Then the same moves between two browsers (two contexts, connected by copying the codes under
 * "Another browser") over WebRTC, beside the raw bandwidth of a data channel of that link.
 */
import type { Browser, Page } from 'playwright-core';

const MIGRATION_RUNS = 5;
const CHANNEL_BENCH_BYTES = 256 << 20;
/** WebRTC is ~20 MB/s here (REFERENCE): a smaller sample. */
const RTC_BENCH_BYTES = 64 << 20;
const BOOT_TIMEOUT_MS = 300_000;
const MIGRATION_TIMEOUT_MS = 180_000;
const PAGE_BYTES = 4096;
const MiB = 1 << 20;

/**
 * Makes /tmp/src (4 MiB: 64 KiB of random bytes doubled six times), then copies it over four
 * files at the start of every second (by `date`): 16 MiB per second of the guest's clock, which
 * follows wall time in the browser. The copies take ~0.75 s of a ~29 MIPS worker; the measured
 * rate comes from the engine's page counts (see migrateOnce).
 */
const DIRTY_SETUP =
  'dd if=/dev/urandom of=/tmp/src bs=64k count=1 2>/dev/null; for i in 1 2 3 4 5 6; do cat /tmp/src /tmp/src > /tmp/t; mv /tmp/t /tmp/src; done; echo ready-$((6*7))';
const DIRTY_LOOP =
  'while :; do s=$(date +%s); for i in 1 2 3 4; do cat /tmp/src > /tmp/w$i; done; while [ $(date +%s) = $s ]; do sleep 0.05; done; done';

interface MigrationResult {
  downtime: number;
  setup: number;
  totalTime: number;
  bytes: number;
  iterations: number;
  /** MiB/s the guest dirtied during pre-copy, from the engine's page counts (see migrateOnce). */
  dirtyMiBs: number;
  /** How long the destination tab took to build the announced machine, before the migration started. */
  preparedMs: number;
}

interface VmInfo {
  id: string;
  name: string;
  state: string;
  migration?: {
    status: string;
    direction: string;
    preparedMs?: number;
    stats?: {
      downtime: number;
      'total-time': number;
      'setup-time': number;
      ram: { transferred: number; normal: number; duplicate: number };
      iterations: { pagesDirtied: number; normalPages: number; zeroPages: number }[];
    };
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const vms = (page: Page) => page.evaluate(() => window.tabvm!.vms()) as Promise<VmInfo[]>;

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid="vm-view"]:visible [data-testid="terminal"]').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Starts the guest's ~16 MiB/s dirtying loop in the VM of `page` and lets it settle. */
async function startDirtying(page: Page): Promise<void> {
  await typeLine(page, DIRTY_SETUP);
  await waitFor('the dirtying loop set-up', 120_000, async () => ((await page.evaluate(() => document.body.innerText)).includes('ready-42') ? true : undefined));
  await typeLine(page, DIRTY_LOOP);
  await new Promise((r) => setTimeout(r, 3000));
}

/** Moves the running VM of `from` to `to` with "Send to tab…"; returns the source's statistics. */
async function migrateOnce(from: Page, to: Page, toName: string): Promise<MigrationResult> {
  const card = from.locator('[data-testid="vm-card"][data-state="running"]');
  await card.getByRole('button', { name: 'Send to tab…' }).click();
  await card.getByRole('menuitem', { name: toName }).click();
  const source = await waitFor('the migration to finish', MIGRATION_TIMEOUT_MS, async () =>
    (await vms(from)).find((v) => v.migration?.direction === 'out' && ['completed', 'failed', 'cancelled'].includes(v.migration.status)),
  );
  const m = source.migration!;
  if (m.status !== 'completed' || !m.stats) throw new Error(`migration ${m.status}`);
  const arrived = await waitFor('the VM to run in the other tab', MIGRATION_TIMEOUT_MS, async () =>
    (await vms(to)).find((v) => v.state === 'running' && v.migration?.direction === 'in'),
  );
  // The moved card stays in the source tab; close it so the next round finds only live VMs.
  await from.locator('[data-testid="vm-card"][data-state="moved"]').getByRole('button', { name: /Close/ }).click();
  const s = m.stats;
  // Pages the guest dirtied while pre-copy ran: those the syncs after the first found, plus
  // those the stop-and-copy sent; over the time from the end of setup to the pause.
  const sentInIterations = s.iterations.reduce((n, r) => n + r.normalPages + r.zeroPages, 0);
  const stopAndCopyPages = s.ram.normal + s.ram.duplicate - sentInIterations;
  const dirtied = s.iterations.slice(1).reduce((n, r) => n + r.pagesDirtied, 0) + stopAndCopyPages;
  const precopyMs = s['total-time'] - s.downtime - s['setup-time'];
  const dirtyMiBs = precopyMs > 0 ? (dirtied * PAGE_BYTES) / MiB / (precopyMs / 1000) : 0;
  const preparedMs = arrived.migration?.preparedMs ?? 0;
  return { setup: s["setup-time"], downtime: s.downtime, totalTime: s['total-time'], bytes: s.ram.transferred, iterations: s.iterations.length, dirtyMiBs, preparedMs };
}

async function series(label: string, a: Page, b: Page, out: (s: string) => void): Promise<MigrationResult[]> {
  const results: MigrationResult[] = [];
  let [from, to, toName] = [a, b, 'Bench B'];
  for (let i = 0; i < MIGRATION_RUNS; i++) {
    const r = await migrateOnce(from, to, toName);
    results.push(r);
    out(
      `  ${label} ${i + 1}: downtime ${r.downtime.toFixed(1)} ms, total ${r.totalTime.toFixed(0)} ms, ${(r.bytes / MiB).toFixed(1)} MiB sent, ` +
        `${r.iterations} iterations, dirty rate ${r.dirtyMiBs.toFixed(1)} MiB/s, setup ${r.setup.toFixed(1)} ms; destination prepared ${r.preparedMs.toFixed(0)} ms before the start\n`,
    );
    [from, to, toName] = [to, from, toName === 'Bench B' ? 'Bench A' : 'Bench B'];
  }
  // Leave the VM in tab A for the next series.
  if (from !== a) await migrateOnce(from, a, 'Bench A');
  return results;
}

function summary(label: string, rs: MigrationResult[], target?: number): string {
  return (
    `  ${label.padEnd(26)} downtime median ${median(rs.map((r) => r.downtime)).toFixed(1)} ms${target === undefined ? '' : ` (target ≤ ${target} ms)`}, ` +
    `total ${median(rs.map((r) => r.totalTime)).toFixed(0)} ms (setup ${median(rs.map((r) => r.setup)).toFixed(1)} ms), ${(median(rs.map((r) => r.bytes)) / MiB).toFixed(1)} MiB, ` +
    `dirty rate ${median(rs.map((r) => r.dirtyMiBs)).toFixed(1)} MiB/s, destination prepared ${median(rs.map((r) => r.preparedMs)).toFixed(0)} ms before the start\n`
  );
}

export async function measureMigrations(browser: Browser, url: string, out: (s: string) => void): Promise<string> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const a = await context.newPage();
    const b = await context.newPage();
    for (const p of [a, b]) p.on('dialog', (d) => void d.accept());
    await a.goto(`${url}?tab=${encodeURIComponent('Bench A')}`);
    await b.goto(`${url}?tab=${encodeURIComponent('Bench B')}&boot=0`);
    await a.locator('[data-testid="vm-card"][data-phase="ready"]').waitFor({ timeout: BOOT_TIMEOUT_MS });
    await b.getByTestId('peer-tab').filter({ hasText: 'Bench A' }).waitFor({ timeout: 30_000 });
    await a.getByTestId('peer-tab').filter({ hasText: 'Bench B' }).waitFor({ timeout: 30_000 });

    const id = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    const [sent, got] = await Promise.all([
      a.evaluate(([i, n]) => window.tabvm!.channelBench(i, 'send', n), [id, CHANNEL_BENCH_BYTES] as const),
      b.evaluate(([i, n]) => window.tabvm!.channelBench(i, 'receive', n), [id, CHANNEL_BENCH_BYTES] as const),
    ]);
    out(`  channel (${sent.kind}, worker to worker): ${sent.mibPerS.toFixed(0)} MiB/s sending ${(sent.bytes / MiB).toFixed(0)} MiB (receiver saw ${got.mibPerS.toFixed(0)} MiB/s)\n`);

    const idle = await series('idle', a, b, out);
    await startDirtying(a);
    const dirty = await series('dirtying', a, b, out);
    return (
      `\ntab-to-tab migration (256 MiB VM, headless Chromium, median of ${MIGRATION_RUNS}):\n` +
      `  raw channel bandwidth      ${sent.mibPerS.toFixed(0)} MiB/s (${sent.kind})\n` +
      summary('idle', idle, 10) +
      summary('guest dirtying ~16 MiB/s', dirty, 30)
    );
  } finally {
    await context.close();
  }
}

/** Connects tab `a` to tab `b` of another browser as people do: invitation there, reply back. */
async function connectBrowsers(a: Page, b: Page): Promise<void> {
  await a.getByTestId('invite').click();
  const invitation = await a.getByTestId('invite-code').inputValue();
  await b.getByTestId('join').click();
  await b.getByTestId('join-input').fill(invitation);
  await b.getByTestId('make-reply').click();
  const reply = await b.getByTestId('reply-code').inputValue();
  await a.getByTestId('reply-input').fill(reply);
  await a.getByTestId('accept-reply').click();
  await a.locator('[data-testid="peer-tab"][data-remote="true"]').waitFor({ timeout: 30_000 });
  await b.locator('[data-testid="peer-tab"][data-remote="true"]').waitFor({ timeout: 30_000 });
}

/** Idle moves between two browsers over WebRTC, and the raw bandwidth of a data channel of their link. */
export async function measureWebRtcMigrations(browser: Browser, url: string, out: (s: string) => void): Promise<string> {
  const contexts = [await browser.newContext({ viewport: { width: 1400, height: 900 } }), await browser.newContext({ viewport: { width: 1400, height: 900 } })];
  try {
    const a = await contexts[0]!.newPage();
    const b = await contexts[1]!.newPage();
    for (const p of [a, b]) p.on('dialog', (d) => void d.accept());
    await a.goto(`${url}?tab=${encodeURIComponent('Bench A')}`);
    await b.goto(`${url}?tab=${encodeURIComponent('Bench B')}&boot=0`);
    await a.locator('[data-testid="vm-card"][data-phase="ready"]').waitFor({ timeout: BOOT_TIMEOUT_MS });
    await connectBrowsers(a, b);
    const tabA = (await a.getByTestId('app').getAttribute('data-tab-id'))!;
    const tabB = (await b.getByTestId('app').getAttribute('data-tab-id'))!;
    const id = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    const receiving = b.evaluate(([i, n, peer]) => window.tabvm!.channelBench(i, 'receive', n, peer), [id, RTC_BENCH_BYTES, tabA] as const);
    await new Promise((r) => setTimeout(r, 200)); // the receiver listens for the sender's data channel first
    const sent = await a.evaluate(([i, n, peer]) => window.tabvm!.channelBench(i, 'send', n, peer), [id, RTC_BENCH_BYTES, tabB] as const);
    const got = await receiving;
    out(`  WebRTC data channel (worker to worker, two browser contexts): ${sent.mibPerS.toFixed(1)} MiB/s sending ${(sent.bytes / MiB).toFixed(0)} MiB (receiver saw ${got.mibPerS.toFixed(1)} MiB/s)\n`);
    const idle = await series('idle over WebRTC', a, b, out);
    await startDirtying(a);
    const dirty = await series('dirtying over WebRTC', a, b, out);
    return (
      `\nbrowser-to-browser migration over WebRTC (256 MiB VM, two contexts, median of ${MIGRATION_RUNS}):\n` +
      `  raw data channel bandwidth ${sent.mibPerS.toFixed(1)} MiB/s\n` +
      summary('idle', idle) +
      summary('guest dirtying ~16 MiB/s', dirty)
    );
  } finally {
    for (const c of contexts) await c.close();
  }
}
