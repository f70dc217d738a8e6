/**
 * The worker's run loop on a real machine (deterministic config, so the guest's output does not
 * depend on host speed): console batching, pause/resume, power off, reset, input.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import { FRAME_MS } from '../host/browser/console-batcher.ts';
import { defaultConfig, defaultImages } from '../machine/testing/default-machine.ts';
import { VirtMachine } from '../machine/virt-machine.ts';
import type { VmEvent } from './events.ts';
import { VmSession } from './vm-session.ts';

interface Logged {
  at: number;
  event: VmEvent;
}

function setup() {
  const log: Logged[] = [];
  const session = new VmSession({ emit: (event) => log.push({ at: performance.now(), event }), now: () => performance.now(), imageBase: 'http://unused/' });
  const img = defaultImages();
  const machine = new VirtMachine(
    defaultConfig(),
    { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
    { consoleOut: session.consoleOut, disk: new MemoryBlockBackend(img.disk, { copyOnWrite: true }) },
  );
  const output = () =>
    log
      .filter((l) => l.event.type === 'output')
      .map((l) => String.fromCharCode(...(l.event as { bytes: Uint8Array }).bytes))
      .join('');
  const states = () => log.filter((l) => l.event.type === 'state').map((l) => (l.event as { runState: string }).runState);
  return { session, machine, log, output, states };
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let current: VmSession | undefined;
afterEach(() => current?.dispose());

describe('VmSession', () => {
  it('runs a machine, batching console output at most once per frame, and answers calls meanwhile', async () => {
    const t = setup();
    current = t.session;
    t.session.start(t.machine);
    expect(t.session.state).toBe('running');
    await until(() => t.output().includes('Platform Name'));
    const outputs = t.log.filter((l) => l.event.type === 'output');
    for (let i = 1; i < outputs.length; i++) expect(outputs[i]!.at - outputs[i - 1]!.at).toBeGreaterThanOrEqual(FRAME_MS - 1);
    expect(t.output()).toContain('OpenSBI');
    const stats = t.session.stats();
    expect(stats.runState).toBe('running');
    expect(stats.instret).toBeGreaterThan(0);
    expect(stats.busyMips).toBeGreaterThan(0);
    expect(t.session.inspect().machine!.hart.pc).toMatch(/^[0-9a-f]{16}$/);
  });

  it('pauses (the guest stops) and resumes (it goes on)', async () => {
    const t = setup();
    current = t.session;
    t.session.start(t.machine);
    await until(() => t.machine.hart.state.instret > 1_000_000);
    expect(t.session.pause()).toBe('paused');
    const frozen = t.machine.hart.state.instret;
    await sleep(100);
    expect(t.machine.hart.state.instret).toBe(frozen);
    expect(t.session.stats().mips).toBe(0);
    expect(t.session.resume()).toBe('running');
    await until(() => t.machine.hart.state.instret > frozen);
    expect(t.states()).toEqual(['running', 'paused', 'running']);
  });

  it('powers off, then starts again from reset', async () => {
    const t = setup();
    current = t.session;
    t.session.start(t.machine);
    await until(() => t.output().includes('OpenSBI'));
    expect(t.session.powerOff()).toBe('off');
    expect(t.machine.board.power).toBe('off');
    const stopped = t.machine.hart.state.instret;
    await sleep(50);
    expect(t.machine.hart.state.instret).toBe(stopped);
    const printed = t.output().length;
    expect(t.session.reset()).toBe('running');
    await until(() => t.output().indexOf('OpenSBI', printed) >= 0);
    expect(t.states()).toEqual(['running', 'off', 'running']);
  });

  it('hands console input to the guest and wakes the loop', async () => {
    const t = setup();
    current = t.session;
    expect(t.session.input(new Uint8Array([0x61]))).toBe(0); // no machine yet
    t.session.start(t.machine);
    expect(t.session.input(new Uint8Array([0x61, 0x62]))).toBe(2);
    expect(t.machine.board.consoleInLength + t.machine.uart.state.rxCount).toBe(2);
  });

  it('boot() downloads the images, builds the machine and runs it (regression: it once only downloaded)', async () => {
    vi.stubGlobal('fetch', async (url: string) => new Response(readFileSync(new URL(url).pathname.replace(/^\/public\//, 'public/'))));
    try {
      const t = setup();
      current = t.session;
      const session = new VmSession({ emit: (event) => t.log.push({ at: performance.now(), event }), now: () => performance.now(), imageBase: 'http://host/public/' });
      current = session;
      expect(await session.boot()).toBe('running');
      expect(session.machine).toBeDefined();
      expect(session.images?.disk?.id.sha256).toMatch(/^[0-9a-f]{64}$/);
      await until(() => t.output().includes('OpenSBI'));
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
