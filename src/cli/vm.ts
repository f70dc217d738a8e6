/**
 * `npm run vm`: boots the default images (or the ones given) with the guest console on the
 * terminal. Ctrl-A X quits, as in QEMU. The exit status is the guest's power-off code (0 for a
 * clean poweroff), 124 when --max-instructions ran out, 1 for an error.
 *
 * Snapshots: `--save FILE` writes the machine to FILE when you quit (and on Ctrl-A S, which
 * continues); `--restore FILE` continues a saved machine (its console history is printed
 * first; the images given or the defaults must be the ones it was saved with);
 * `--inspect FILE` prints what a snapshot holds and exits.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import { Pacer } from '../host/pacer.ts';
import { BootImageError } from '../machine/boot-images.ts';
import { bytesToHex, ConfigError, DEFAULT_BOOTARGS, DEFAULT_INSTRUCTIONS_PER_TICK, DEFAULT_RAM_SIZE, MiB, type MachineConfig } from '../machine/config.ts';
import { ElfError } from '../machine/elf.ts';
import { restoreSnapshot, saveSnapshot, SnapshotError, type RestoreHost } from '../machine/snapshot.ts';
import { VirtMachine } from '../machine/virt-machine.ts';
import { CliError, defaultImage, readImage } from './images.ts';
import { inspectSnapshotFile, readSnapshotFile } from './inspect.ts';

const USAGE = `usage: npm run vm -- [options]
  --kernel FILE          Linux Image (default public/Image)
  --initrd FILE          initramfs (default public/initramfs.cpio; --no-initrd for none)
  --firmware FILE        OpenSBI fw_dynamic (default public/fw_dynamic.bin)
  --disk FILE            disk image for virtio-blk (default public/disk.img; --no-disk for none)
  --append "ARGS"        kernel command line (default "${DEFAULT_BOOTARGS}")
  --mem MiB              RAM size (default ${DEFAULT_RAM_SIZE / MiB})
  --deterministic        guest time from the instruction count: reproducible runs
  --max-instructions N   stop after N guest instructions (exit status 124)
  --save FILE            write a snapshot to FILE when quitting (Ctrl-A X) and on Ctrl-A S
  --restore FILE         continue the machine saved in FILE (same images as when it was saved)
  --inspect FILE         print the sections and fields of a snapshot and exit
Console: Ctrl-A X quits, Ctrl-A S saves a snapshot (with --save), Ctrl-A Ctrl-A sends Ctrl-A.`;

interface Options {
  kernel: string;
  initrd?: string;
  firmware: string;
  disk?: string;
  append: string;
  memMiB: number;
  deterministic: boolean;
  maxInstructions: number;
  save?: string;
  restore?: string;
  inspect?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    kernel: defaultImage('Image'),
    initrd: defaultImage('initramfs.cpio'),
    firmware: defaultImage('fw_dynamic.bin'),
    disk: defaultImage('disk.img'),
    append: DEFAULT_BOOTARGS,
    memMiB: DEFAULT_RAM_SIZE / MiB,
    deterministic: false,
    maxInstructions: Infinity,
  };
  const value = (i: number, name: string) => {
    const v = argv[i + 1];
    if (v === undefined) throw new CliError(`${name} needs a value\n${USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '--kernel': o.kernel = value(i++, a); break;
      case '--initrd': o.initrd = value(i++, a); break;
      case '--no-initrd': o.initrd = undefined; break;
      case '--firmware': o.firmware = value(i++, a); break;
      case '--disk': o.disk = value(i++, a); break;
      case '--no-disk': o.disk = undefined; break;
      case '--append': o.append = value(i++, a); break;
      case '--mem': o.memMiB = Number(value(i++, a)); break;
      case '--deterministic': o.deterministic = true; break;
      case '--max-instructions': o.maxInstructions = Number(value(i++, a)); break;
      case '--save': o.save = value(i++, a); break;
      case '--restore': o.restore = value(i++, a); break;
      case '--inspect': o.inspect = value(i++, a); break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
      default:
        throw new CliError(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (!Number.isFinite(o.memMiB) || o.memMiB <= 0) throw new CliError(`--mem must be a number of MiB`);
  if (!(o.maxInstructions > 0)) throw new CliError(`--max-instructions must be positive`);
  return o;
}

function restoreMachine(o: Options, path: string): VirtMachine {
  const bytes = readSnapshotFile(path);
  const image = (p: string | undefined, what: string) => (p ? readImage(p, what) : undefined);
  const host: RestoreHost = {
    consoleOut: (b) => process.stdout.write(b),
    images: {
      firmware: image(o.firmware, 'firmware'),
      kernel: image(o.kernel, 'kernel'),
      initrd: image(o.initrd, 'initrd'),
      disk: image(o.disk, 'disk'),
    },
    disk: (base) => new MemoryBlockBackend(base, { copyOnWrite: true }),
    entropy: { fill: (d) => d.set(randomBytes(d.length)) },
  };
  const m = restoreSnapshot(bytes, host);
  process.stdout.write(m.consoleHistory());
  process.stderr.write(`\n[tabvm] restored ${path} (${bytes.length} bytes, ${m.hart.state.instret} instructions retired)\n`);
  return m;
}

/** Writes a snapshot next to `path` and renames it into place, so a crash never leaves half a file. */
function saveMachine(m: VirtMachine, path: string): void {
  const t0 = performance.now();
  const bytes = saveSnapshot(m);
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    throw new CliError(`cannot write snapshot ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  process.stderr.write(`\r\n[tabvm] saved ${path} (${(bytes.length / 2 ** 20).toFixed(1)} MiB in ${(performance.now() - t0).toFixed(0)} ms)\r\n`);
}

function buildMachine(o: Options): VirtMachine {
  const firmware = readImage(o.firmware, 'firmware');
  const kernel = readImage(o.kernel, 'kernel');
  const initrd = o.initrd ? readImage(o.initrd, 'initrd') : undefined;
  const disk = o.disk ? readImage(o.disk, 'disk') : undefined;
  const config: MachineConfig = {
    configVersion: 1,
    ramSize: o.memMiB * MiB,
    bootargs: o.append,
    deterministic: o.deterministic,
    instructionsPerTick: DEFAULT_INSTRUCTIONS_PER_TICK,
    mmu: 'sv39',
    rngSeed: o.deterministic ? '00'.repeat(32) : bytesToHex(randomBytes(32)),
    rtcEpochNs: o.deterministic ? '1767225600000000000' : (BigInt(Date.now()) * 1_000_000n).toString(),
    images: { firmware: firmware.id, kernel: kernel.id, initrd: initrd?.id, disk: disk?.id },
    devices: { rng: true, net: true },
  };
  return new VirtMachine(
    config,
    { firmware: firmware.bytes, kernel: kernel.bytes, initrd: initrd?.bytes },
    {
      consoleOut: (b) => process.stdout.write(b),
      disk: disk ? new MemoryBlockBackend(disk.bytes, { copyOnWrite: true }) : undefined,
      entropy: { fill: (d) => d.set(randomBytes(d.length)) },
    },
  );
}

const CTRL_A = 0x01;

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  if (o.inspect !== undefined) {
    process.stdout.write(inspectSnapshotFile(o.inspect) + '\n');
    return 0;
  }
  const m = o.restore !== undefined ? restoreMachine(o, o.restore) : buildMachine(o);
  const pacer = new Pacer(m);
  const stdin = process.stdin;
  const tty = stdin.isTTY;
  let quit = false;
  let saveNow = false;
  let escape = false;
  if (tty) stdin.setRawMode(true);
  stdin.on('data', (chunk: Buffer) => {
    const out: number[] = [];
    for (const byte of chunk) {
      if (tty && escape) {
        escape = false;
        if (byte === 0x78 || byte === 0x58) quit = true; // x
        else if (byte === 0x73 || byte === 0x53) saveNow = true; // s
        else if (byte === CTRL_A) out.push(CTRL_A);
        continue;
      }
      if (tty && byte === CTRL_A) {
        escape = true;
        continue;
      }
      out.push(byte);
    }
    if (out.length) m.consoleInput(Uint8Array.from(out));
  });
  stdin.on('end', () => {
    if (!tty) stdin.pause();
  });

  let total = 0;
  try {
    while (!quit) {
      if (saveNow) {
        saveNow = false;
        if (o.save !== undefined) saveMachine(m, o.save);
        else process.stderr.write('\r\n[tabvm] Ctrl-A S: no --save FILE given\r\n');
      }
      pacer.budget = Math.min(1_000_000, o.maxInstructions - total);
      const r = pacer.step();
      total += r.instructions;
      if (r.power === "off") return m.board.exitCode;
      if (total >= o.maxInstructions) {
        process.stderr.write(`\n[tabvm] stopped after ${total} instructions (--max-instructions)\n`);
        if (o.save !== undefined) saveMachine(m, o.save);
        return 124;
      }
      await new Promise((res) => (r.sleepMs > 0 ? setTimeout(res, r.sleepMs) : setImmediate(res)));
    }
    process.stderr.write('\n[tabvm] quit (Ctrl-A X)\n');
    if (o.save !== undefined) saveMachine(m, o.save);
    return 0;
  } finally {
    if (tty) stdin.setRawMode(false);
    stdin.pause();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliError || e instanceof BootImageError || e instanceof ElfError || e instanceof ConfigError || e instanceof SnapshotError) {
      process.stderr.write(`tabvm: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  },
);
