/**
 * `npm run bench:browser`: in headless Debian Chromium, the time from page load to the shell
 * prompt and the guest's speed in the worker, median of 3 page loads. Builds the app and serves
 * it with `vite preview` (or measures `--url URL`).
 *
 * Figures: "prompt" is performance.now() in the page when `~ # ` first appeared (ms since
 * navigation start), "running" when the machine first ran (images downloaded, machine built); "MIPS" is instructions to the prompt / prompt time; "busy MIPS" is the
 * emulator's own speed in the worker (sleeps excluded), sampled once a second during boot.
 * Then a tab-to-tab migration of the 256 MiB VM, idle and while the guest dirties memory
 * (bench/browser-migration.ts), and between two browsers over WebRTC. `--migration-only` skips
 * the page-load runs, `--loads-only` the migrations, `--webrtc-only` everything but WebRTC.
 */
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config.ts';
import { measureMigrations, measureWebRtcMigrations } from './browser-migration.ts';

const RUNS = 3;
const BENCH_PORT = 4174;
const PROMPT_TIMEOUT_MS = 300_000;
const SAMPLE_MS = 1000;

interface Run {
  /** Images downloaded and the machine built: it starts running. */
  runningMs: number;
  promptMs: number;
  instructions: number;
  busyMips: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function measure(page: Page, url: string): Promise<Run> {
  await page.goto(url);
  const card = page.locator('[data-testid="vm-card"]').first();
  const busy: number[] = [];
  const deadline = Date.now() + PROMPT_TIMEOUT_MS;
  for (;;) {
    const [running, prompt, busyMips, instret] = await Promise.all([
      card.getAttribute('data-running-ms'),
      card.getAttribute('data-prompt-ms'),
      card.getAttribute('data-busy-mips'),
      card.getAttribute('data-instret'),
    ]);
    if (prompt) return { runningMs: Number(running), promptMs: Number(prompt), instructions: Number(instret), busyMips: median(busy.length ? busy : [0]) };
    if (Number(busyMips) > 0) busy.push(Number(busyMips));
    if (Date.now() > deadline) throw new Error(`no shell prompt within ${PROMPT_TIMEOUT_MS / 1000} s`);
    await page.waitForTimeout(SAMPLE_MS);
  }
}

async function main(): Promise<void> {
  const urlArg = process.argv.indexOf('--url');
  let url = urlArg >= 0 ? process.argv[urlArg + 1]! : '';
  let server: Awaited<ReturnType<typeof preview>> | undefined;
  if (!url) {
    process.stdout.write('building…\n');
    await build({ logLevel: 'warn' });
    server = await preview({ preview: { port: BENCH_PORT, strictPort: true }, logLevel: 'warn' });
    url = `http://localhost:${BENCH_PORT}/`;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const runs: Run[] = [];
  const migrationOnly = process.argv.includes('--migration-only');
  let migration = '';
  try {
    const webrtcOnly = process.argv.includes('--webrtc-only');
    for (let i = 0; i < (migrationOnly || webrtcOnly ? 0 : RUNS); i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const r = await measure(page, url);
      await context.close();
      runs.push(r);
      const mips = r.instructions / r.promptMs / 1000;
      process.stdout.write(
        `  load ${i + 1}: running after ${(r.runningMs / 1000).toFixed(2)} s, prompt after ${(r.promptMs / 1000).toFixed(2)} s, ${(r.instructions / 1e6).toFixed(0)} M instructions, ` +
          `${mips.toFixed(1)} MIPS to the prompt, ${r.busyMips.toFixed(1)} busy MIPS in the worker\n`,
      );
    }
    const out = (s: string) => process.stdout.write(s);
    if (!process.argv.includes('--loads-only')) {
      if (!webrtcOnly) migration = await measureMigrations(browser, url, out);
      migration += await measureWebRtcMigrations(browser, url, out);
    }
  } finally {
    await browser.close();
    await server?.close();
  }
  if (runs.length === 0) {
    process.stdout.write(migration);
    return;
  }
  const promptS = median(runs.map((r) => r.promptMs)) / 1000;
  const runningS = median(runs.map((r) => r.runningMs)) / 1000;
  const mips = median(runs.map((r) => r.instructions / r.promptMs / 1000));
  const busy = median(runs.map((r) => r.busyMips));
  process.stdout.write(
    `\nbrowser (headless Chromium, median of ${RUNS} page loads):\n` +
      `  page load → shell prompt   ${promptS.toFixed(2)} s   (target ≤ 3 s)\n` +
      `    of which images + build  ${runningS.toFixed(2)} s\n` +
      `  guest MIPS to the prompt   ${mips.toFixed(1)}\n` +
      `  busy MIPS in the worker    ${busy.toFixed(1)}\n` +
      migration,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:browser: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
