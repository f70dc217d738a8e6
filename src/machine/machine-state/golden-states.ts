/**
 * Fixed, non-default states for every description, for the golden streams (fixtures/*.bin):
 * each state sets every field to a value a real machine can hold, so a change to a
 * description's wire format shows up as a byte difference.
 */
import { hartDescription } from '../../core/cpu/hart-description.ts';
import { createHartState, Slot } from '../../core/cpu/hart-state.ts';
import { PRIV } from '../../core/isa/causes.ts';
import { clintDescription, createClintState } from '../../devices/clint/index.ts';
import { createGoldfishRtcState, goldfishRtcDescription } from '../../devices/goldfish-rtc/index.ts';
import { createPlicState, plicDescription } from '../../devices/plic/index.ts';
import { createSysconState, sysconDescription } from '../../devices/syscon/index.ts';
import { createUart16550State, uart16550Description } from '../../devices/uart16550/index.ts';
import { createVirtioMmioState, virtioMmioDescription } from '../../devices/virtio/index.ts';
import { createVirtioBlkState, virtioBlkDescription } from '../../devices/virtio-blk/index.ts';
import { createVirtioNetState, virtioNetDescription } from '../../devices/virtio-net/index.ts';
import { createVirtioRngState, virtioRngDescription } from '../../devices/virtio-rng/index.ts';
import type { Description } from '../../vmstate/index.ts';
import type { BoardState } from '../virt-machine.ts';
import { boardDescription, BoardView } from './board-description.ts';
import { diskOverlaySection, type OverlayDisk } from './disk-overlay.ts';

export interface Golden<S> {
  readonly name: string;
  readonly description: Description<S>;
  /** The golden state. */
  readonly make: () => S;
  /** A fresh state to load into. */
  readonly fresh: () => S;
  /** Description to load with, when it differs from the saving one (it is bound to a target). */
  readonly loadDescription?: Description<S>;
  /** What the golden state must equal after loading (default: the state itself). */
  readonly view?: (s: S) => unknown;
  /** What of the loaded state to compare with `view` (default: `view` of it). */
  readonly loadedView?: (s: S) => unknown;
}

const golden = <S>(g: Golden<S>) => g as unknown as Golden<unknown>;

function hart() {
  const s = createHartState();
  for (let r = 2; r < 64; r++) s.x[r] = Math.imul(r, 0x9e3779b1);
  for (let r = 0; r < 64; r++) s.f[r] = Math.imul(r + 7, 0x85ebca6b);
  Object.assign(s, { pcLo: -0x7fdff000, pcHi: -1, priv: PRIV.S, mstatus: 0x000a_2022, medeleg: 0xb1ff, mideleg: 0x222, mie: 0x2aa });
  Object.assign(s, { mipSw: 0x2, mcounteren: 7, scounteren: 2, mcountinhibit: 5, fflags: 0x11, frm: 3, instret: 2 ** 40 + 12345, wfi: true });
  for (let i = 0; i < Slot.COUNT * 2; i++) s.csr[i] = Math.imul(i + 1, 0x27d4eb2f);
  return s;
}

function board(): BoardState {
  const b: BoardState = {
    clock: { ticks: 123_456_789, instret: 987_654_321 },
    power: 'reset-requested',
    exitCode: 3,
    consoleIn: new Uint8Array(64),
    consoleInLength: 3,
    consoleOut: new Uint8Array(32),
    consoleOutStart: 30,
    consoleOutLength: 5,
  };
  b.consoleIn.set([0x6c, 0x73, 0x0a]);
  b.consoleOut.set([0x61, 0x62], 30);
  b.consoleOut.set([0x63, 0x64, 0x65], 0);
  return b;
}

const freshBoard = (): BoardState => ({
  clock: { ticks: 0, instret: 0 },
  power: 'on',
  exitCode: 0,
  consoleIn: new Uint8Array(64),
  consoleInLength: 0,
  consoleOut: new Uint8Array(32),
  consoleOutStart: 0,
  consoleOutLength: 0,
});

/** A small 3-chunk disk (256-byte chunks) with a short last chunk; the golden overlay holds chunks 0 and 2. */
export function goldenDisk(): OverlayDisk {
  const chunk = 0x100;
  const size = 0x280;
  const overlay = new Map<number, Uint8Array>();
  const chunkBytes = (i: number) => Math.max(0, Math.min(chunk, size - i * chunk));
  return {
    sizeBytes: size,
    readOnly: false,
    copyOnWrite: true,
    overlayChunkSize: chunk,
    read: (_o, _d, done) => done(false),
    write: (_o, _s, done) => done(false),
    flush: (done) => done(true),
    overlayEntries: () => [...overlay.entries()].sort((a, b) => a[0] - b[0]),
    replaceOverlay: (entries) => {
      overlay.clear();
      for (const [i, d] of entries) overlay.set(i, d);
    },
    chunkBytes,
  };
}

export const GOLDEN: readonly Golden<unknown>[] = [
  golden({ name: 'hart', description: hartDescription, make: hart, fresh: createHartState }),
  golden({
    name: 'board',
    description: boardDescription(64, 32),
    make: () => new BoardView(board()),
    fresh: () => new BoardView(freshBoard()),
    // The history ring comes back linear (start 0); compare what it holds.
    view: (v) => ({ ...v.board, consoleOut: v.consoleOut.slice(), consoleOutStart: undefined, consoleIn: v.consoleIn.slice() }),
  }),
  golden({
    name: 'clint',
    description: clintDescription(1),
    make: () => Object.assign(createClintState(1), { mtimeOffset: -5_000_000 }, { msip: Uint8Array.of(1), mtimecmp: BigUint64Array.of(0x1_2345_6789n) }),
    fresh: () => createClintState(1),
  }),
  golden({
    name: 'plic',
    description: plicDescription,
    make: () => {
      const s = createPlicState(1);
      s.priority.set([0, 1, 7, 3, 0, 0, 0, 0, 2, 5, 4]);
      s.pending.set([0x400, 0, 0x8000_0000]);
      s.inService.set([0x200, 1, 0]);
      s.level.set([0x600, 0, 0]);
      s.enable.set([0x6fe, 0, 0, 0x400, 2, 0]);
      s.threshold.set([7, 1]);
      return s;
    },
    fresh: () => createPlicState(1),
  }),
  golden({
    name: 'uart16550',
    description: uart16550Description,
    make: () => {
      const s = createUart16550State();
      Object.assign(s, { dll: 1, dlm: 2, ier: 0x0f, fcr: 0xc1, lcr: 0x03, mcr: 0x0b, lsrErrors: 0x02, scr: 0x5a, rxHead: 14, rxCount: 4, thrIpending: true });
      s.rxFifo.set([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);
      return s;
    },
    fresh: createUart16550State,
  }),
  golden({
    name: 'goldfish-rtc',
    description: goldfishRtcDescription,
    make: () =>
      Object.assign(createGoldfishRtcState(1_767_225_600_000_000_000n), {
        timeHighLatch: 0x1886_1234,
        alarmNs: 1_767_225_601_000_000_000n,
        alarmHigh: 0x1886_1235,
        alarmRunning: true,
        irqPending: true,
        irqEnabled: true,
      }),
    fresh: () => createGoldfishRtcState(0n),
  }),
  golden({ name: 'syscon', description: sysconDescription, make: createSysconState, fresh: createSysconState }),
  golden({
    name: 'virtio-mmio',
    description: virtioMmioDescription,
    make: () => {
      const s = createVirtioMmioState();
      Object.assign(s, { deviceFeaturesSel: 1, driverFeaturesSel: 1, queueSel: 1, status: 0x0f, interruptStatus: 1, configGeneration: 4, shmSel: 0 });
      s.driverFeatures.set([0x3000_0000, 1]);
      s.queueNum.set([256, 128]);
      s.queueReady.set([1, 1]);
      s.queueDescLow.set([0x8765_0000, 0x8766_0000]);
      s.queueDescHigh.set([0, 0]);
      s.queueDriverLow.set([0x8765_1000, 0x8766_1000]);
      s.queueDeviceLow.set([0x8765_2000, 0x8766_2000]);
      s.lastAvailIdx.set([0xfffe, 17]);
      s.usedIdx.set([0xfffe, 16]);
      return s;
    },
    fresh: createVirtioMmioState,
  }),
  golden({
    name: 'virtio-blk',
    description: virtioBlkDescription,
    make: () => Object.assign(createVirtioBlkState(), { reads: 120, writes: 7, flushes: 3, bytesRead: 2 ** 33 + 512, bytesWritten: 28672, errors: 1 }),
    fresh: createVirtioBlkState,
  }),
  golden({
    name: 'virtio-rng',
    description: virtioRngDescription,
    make: () => {
      const s = createVirtioRngState(0x5eed5eed);
      s.prng.set([1, 0xdeadbeef, 3, 0xffffffff]);
      s.bytesDelivered = 4096;
      return s;
    },
    fresh: () => createVirtioRngState(0),
  }),
  golden({
    name: 'virtio-net',
    description: virtioNetDescription,
    make: () =>
      Object.assign(createVirtioNetState([0x52, 0x54, 0x00, 0x12, 0x34, 0x56]), {
        linkUp: false,
        rxPackets: 10,
        rxBytes: 1500,
        rxDropped: 1,
        txPackets: 12,
        txBytes: 1700,
        txDropped: 2,
      }),
    fresh: () => createVirtioNetState([0, 0, 0, 0, 0, 0]),
  }),
  (() => {
    const source = goldenDisk();
    source.replaceOverlay([
      [0, new Uint8Array(0x100).fill(0xa5)],
      [2, Uint8Array.from({ length: 0x80 }, (_, i) => i)],
    ]);
    return golden({
      name: 'disk-overlay',
      // Saving reads the chunks from `source`; loading checks them against a disk of the same size.
      description: diskOverlaySection(source).description,
      loadDescription: diskOverlaySection(goldenDisk()).description,
      make: () => ({ chunks: [] }),
      fresh: () => ({ chunks: [] }),
      view: () => source.overlayEntries().map(([index, data]) => ({ index, data })),
      loadedView: (s) => s.chunks,
    });
  })(),
];
