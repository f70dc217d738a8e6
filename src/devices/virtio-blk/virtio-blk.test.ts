import { describe, expect, it } from 'vitest';
import { ramGuestMemory } from '../../core/bus/guest-memory.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import { Ram } from '../../core/bus/ram.ts';
import { MemoryBlockBackend } from './memory-backend.ts';
import { DeviceStatus, featureBit, InterruptBit, MmioReg, VirtioDeviceId, VirtioFeature } from '../virtio/regs.ts';
import { createVirtioMmioState } from '../virtio/state.ts';
import { type DriverBuffer, type DriverQueue, TestDriver } from '../virtio/test-driver.ts';
import { VirtioMmio } from '../virtio/virtio-mmio.ts';
import type { BlockBackend } from './backend.ts';
import { BLK_SEG_MAX, BLK_SIZE_MAX, BlkConfig, BlkFeature, BlkReqType, BlkStatus, SECTOR_SIZE } from './regs.ts';
import { createVirtioBlkState } from './state.ts';
import { VirtioBlk } from './virtio-blk.ts';

const RAM_BASE = 0x8000_0000;
const DISK_SECTORS = 64;

function diskImage(): Uint8Array {
  return Uint8Array.from({ length: DISK_SECTORS * SECTOR_SIZE }, (_, i) => (i >> 9) ^ (i & 0xff));
}

/** A backend whose completions wait until the test runs them (like an async host store). */
class DeferredBackend implements BlockBackend {
  readonly sizeBytes: number;
  readonly readOnly = false;
  queued: (() => void)[] = [];
  constructor(private readonly inner: MemoryBlockBackend) {
    this.sizeBytes = inner.sizeBytes;
  }
  read(offset: number, dst: Uint8Array, done: (ok: boolean) => void): void {
    this.queued.push(() => this.inner.read(offset, dst, done));
  }
  write(offset: number, src: Uint8Array, done: (ok: boolean) => void): void {
    this.queued.push(() => this.inner.write(offset, src, done));
  }
  flush(done: (ok: boolean) => void): void {
    this.queued.push(() => this.inner.flush(done));
  }
  runAll(): void {
    for (const f of this.queued.splice(0)) f();
  }
}

function setup(backend: BlockBackend, serial = 'tabvm-disk-0') {
  const ram = new Ram(RAM_BASE, 0x20_0000);
  const irq = { level: false, set(l: boolean) { this.level = l; } } satisfies IrqLine & { level: boolean };
  const blk = new VirtioBlk(createVirtioBlkState(), backend, { serial });
  const t = new VirtioMmio(createVirtioMmioState(), blk, irq, ramGuestMemory(ram));
  const drv = new TestDriver(t, ram);
  return { ram, irq, blk, t, drv };
}

/** What virtio_blk's probe does: negotiate the features it knows, one queue, DRIVER_OK. */
function probe(backend: BlockBackend) {
  const env = setup(backend);
  const known = [BlkFeature.SizeMax, BlkFeature.SegMax, BlkFeature.Ro, BlkFeature.Flush, BlkFeature.BlkSize];
  const wanted = known.reduce((f, b) => f | featureBit(b), 0n) & env.drv.deviceFeatures();
  expect(env.drv.negotiate(wanted)).toBe(true);
  const vq = env.drv.setupQueue(0, 128);
  env.drv.driverOk();
  return { ...env, vq };
}

interface Req {
  head: number;
  status: number;
  data: number;
}

/** Builds header | data | status like virtblk_add_req; the header is split over two
 *  descriptors to exercise "any layout" (VERSION_1). */
function request(drv: TestDriver, vq: DriverQueue, type: number, sector: number, data?: Uint8Array, inLen = 0): Req {
  const hdr = new Uint8Array(16);
  const dv = new DataView(hdr.buffer);
  dv.setUint32(0, type, true);
  dv.setBigUint64(8, BigInt(sector), true);
  const h = drv.put(hdr);
  const bufs: DriverBuffer[] = [
    { addr: h, len: 4 },
    { addr: h + 4, len: 12 },
  ];
  let dataAddr = 0;
  if (data) bufs.push({ addr: (dataAddr = drv.put(data)), len: data.length });
  if (inLen) bufs.push({ addr: (dataAddr = drv.alloc(inLen)), len: inLen, write: true });
  const status = drv.put(Uint8Array.of(0xff), 1);
  bufs.push({ addr: status, len: 1, write: true });
  return { head: vq.add(bufs), status, data: dataAddr };
}

const statusOf = (drv: TestDriver, r: Req) => drv.bytes(r.status, 1)[0];

describe('virtio-blk config and features', () => {
  it('reports device ID 2, capacity, seg_max, size_max, FLUSH; RO only for read-only backends', () => {
    const { drv } = setup(new MemoryBlockBackend(diskImage()));
    expect(drv.reg(MmioReg.DeviceId)).toBe(VirtioDeviceId.Block);
    const f = drv.deviceFeatures();
    for (const b of [BlkFeature.SizeMax, BlkFeature.SegMax, BlkFeature.Flush]) expect(f & featureBit(b)).not.toBe(0n);
    expect(f & featureBit(BlkFeature.Ro)).toBe(0n);
    expect(f & featureBit(VirtioFeature.Version1)).not.toBe(0n);
    expect(drv.config(BlkConfig.Capacity, 4)).toBe(DISK_SECTORS);
    expect(drv.config(BlkConfig.Capacity + 4, 4)).toBe(0);
    expect(drv.config(BlkConfig.SegMax, 4)).toBe(BLK_SEG_MAX);
    expect(drv.config(BlkConfig.SizeMax, 4)).toBe(BLK_SIZE_MAX);
    const ro = setup(new MemoryBlockBackend(diskImage(), { readOnly: true }));
    expect(ro.drv.deviceFeatures() & featureBit(BlkFeature.Ro)).not.toBe(0n);
  });

  it('reports the high word of a capacity above 2^32 sectors', () => {
    const huge: BlockBackend = { sizeBytes: 2 ** 41 + 1024, readOnly: true, read() {}, write() {}, flush() {} };
    const { drv } = setup(huge);
    // 2^41 + 1024 bytes = 2^32 + 2 sectors
    expect(drv.config(BlkConfig.Capacity, 4)).toBe(2);
    expect(drv.config(BlkConfig.Capacity + 4, 4)).toBe(1);
  });
});

describe('virtio-blk requests', () => {
  it('writes sectors to the backend and reads them back into guest memory', () => {
    const img = diskImage();
    const { drv, vq, irq, blk } = probe(new MemoryBlockBackend(img));
    const payload = Uint8Array.from({ length: 2 * SECTOR_SIZE }, (_, i) => (i * 13) & 0xff);
    const w = request(drv, vq, BlkReqType.Out, 5, payload);
    vq.kick();
    expect(vq.reap()).toEqual([{ id: w.head, len: 1 }]);
    expect(statusOf(drv, w)).toBe(BlkStatus.Ok);
    expect(img.subarray(5 * SECTOR_SIZE, 7 * SECTOR_SIZE)).toEqual(payload);
    expect(irq.level).toBe(true);
    expect(drv.takeInterrupt()).toBe(InterruptBit.UsedBuffer);

    const r = request(drv, vq, BlkReqType.In, 4, undefined, 3 * SECTOR_SIZE);
    vq.kick();
    expect(vq.reap()).toEqual([{ id: r.head, len: 3 * SECTOR_SIZE + 1 }]);
    expect(statusOf(drv, r)).toBe(BlkStatus.Ok);
    expect(drv.bytes(r.data, 3 * SECTOR_SIZE)).toEqual(img.slice(4 * SECTOR_SIZE, 7 * SECTOR_SIZE));
    expect(drv.bytes(r.data + SECTOR_SIZE, 2 * SECTOR_SIZE)).toEqual(payload);
    expect(blk.state).toEqual({ reads: 1, writes: 1, flushes: 0, bytesRead: 1536, bytesWritten: 1024, errors: 0 });
  });

  it('flushes the backend', () => {
    const backend = new MemoryBlockBackend(diskImage());
    const { drv, vq, blk } = probe(backend);
    const f = request(drv, vq, BlkReqType.Flush, 0);
    vq.kick();
    expect(vq.reap()).toEqual([{ id: f.head, len: 1 }]);
    expect(statusOf(drv, f)).toBe(BlkStatus.Ok);
    expect(backend.flushes).toBe(1);
    expect(blk.state.flushes).toBe(1);
  });

  it('answers GET_ID with the serial, zero-padded to 20 bytes', () => {
    const { drv, vq } = probe(new MemoryBlockBackend(diskImage()));
    const r = request(drv, vq, BlkReqType.GetId, 0, undefined, 20);
    vq.kick();
    expect(vq.reap()).toEqual([{ id: r.head, len: 21 }]);
    expect(statusOf(drv, r)).toBe(BlkStatus.Ok);
    const expected = new Uint8Array(20);
    expected.set(new TextEncoder().encode('tabvm-disk-0'));
    expect(drv.bytes(r.data, 20)).toEqual(expected);
  });

  it('answers IOERR past the end, for partial sectors, and for writes to a read-only disk', () => {
    const img = diskImage();
    const pristine = img.slice();
    const { drv, vq, blk } = probe(new MemoryBlockBackend(img, { readOnly: true }));
    const reqs = [
      request(drv, vq, BlkReqType.In, DISK_SECTORS - 1, undefined, 2 * SECTOR_SIZE),
      request(drv, vq, BlkReqType.In, 2 ** 60, undefined, SECTOR_SIZE),
      request(drv, vq, BlkReqType.In, 0, undefined, 100),
      request(drv, vq, BlkReqType.Out, 0, new Uint8Array(SECTOR_SIZE).fill(1)),
    ];
    vq.kick();
    expect(vq.reap()).toEqual(reqs.map((r) => ({ id: r.head, len: 1 })));
    for (const r of reqs) expect(statusOf(drv, r)).toBe(BlkStatus.IoErr);
    expect(img).toEqual(pristine);
    expect(blk.state.errors).toBe(4);
  });

  it('answers UNSUPP for request types it does not implement', () => {
    const { drv, vq } = probe(new MemoryBlockBackend(diskImage()));
    const r = request(drv, vq, BlkReqType.Discard, 0, new Uint8Array(16));
    vq.kick();
    expect(vq.reap()).toHaveLength(1);
    expect(statusOf(drv, r)).toBe(BlkStatus.Unsupp);
  });

  it('reports a backend failure as IOERR', () => {
    const failing: BlockBackend = {
      sizeBytes: 4096,
      readOnly: false,
      read: (_o, _d, done) => done(false),
      write: (_o, _s, done) => done(false),
      flush: (done) => done(false),
    };
    const { drv, vq } = probe(failing);
    const reqs = [
      request(drv, vq, BlkReqType.In, 0, undefined, SECTOR_SIZE),
      request(drv, vq, BlkReqType.Out, 0, new Uint8Array(SECTOR_SIZE)),
      request(drv, vq, BlkReqType.Flush, 0),
    ];
    vq.kick();
    expect(vq.reap()).toHaveLength(3);
    for (const r of reqs) expect(statusOf(drv, r)).toBe(BlkStatus.IoErr);
  });

  it('a chain without a status byte is a guest error (DEVICE_NEEDS_RESET), not a throw', () => {
    const { drv, vq, t } = probe(new MemoryBlockBackend(diskImage()));
    vq.add([{ addr: drv.put(new Uint8Array(16)), len: 16 }]);
    vq.kick();
    expect(drv.status() & DeviceStatus.DeviceNeedsReset).toBe(DeviceStatus.DeviceNeedsReset);
    expect(t.lastError).toMatch(/status/);
    expect(vq.usedIdx()).toBe(0);
  });
});

describe('virtio-blk with asynchronous completions', () => {
  it('completes between time slices and counts requests in flight', () => {
    const img = diskImage();
    const backend = new DeferredBackend(new MemoryBlockBackend(img));
    const { drv, vq, irq, blk } = probe(backend);
    const r = request(drv, vq, BlkReqType.In, 1, undefined, SECTOR_SIZE);
    const w = request(drv, vq, BlkReqType.Out, 9, new Uint8Array(SECTOR_SIZE).fill(0xab));
    vq.kick();
    expect(blk.inFlight()).toBe(2);
    expect(vq.usedIdx()).toBe(0);
    expect(irq.level).toBe(false);
    backend.runAll();
    expect(blk.inFlight()).toBe(0);
    expect(vq.reap()).toEqual([
      { id: r.head, len: SECTOR_SIZE + 1 },
      { id: w.head, len: 1 },
    ]);
    expect(drv.bytes(r.data, SECTOR_SIZE)).toEqual(img.slice(SECTOR_SIZE, 2 * SECTOR_SIZE));
    expect(img[9 * SECTOR_SIZE]).toBe(0xab);
    expect(irq.level).toBe(true);
  });

  it('after a reset, a late completion neither writes guest memory nor the used ring', () => {
    const backend = new DeferredBackend(new MemoryBlockBackend(diskImage()));
    const { drv, vq, ram, blk } = probe(backend);
    const r = request(drv, vq, BlkReqType.In, 1, undefined, SECTOR_SIZE);
    vq.kick();
    drv.setReg(MmioReg.Status, 0);
    expect(blk.inFlight()).toBe(1);
    // The driver probes again with fresh rings, as Linux does after a reset.
    drv.negotiate(0n);
    const vq2 = drv.setupQueue(0, 128);
    drv.driverOk();
    ram.clearDirty();
    backend.runAll();
    expect(blk.inFlight()).toBe(0);
    expect(drv.bytes(r.data, SECTOR_SIZE)).toEqual(new Uint8Array(SECTOR_SIZE));
    expect(statusOf(drv, r)).toBe(0xff);
    expect(vq.usedIdx()).toBe(0);
    expect(vq2.usedIdx()).toBe(0);
    expect(ram.dirty.every((d) => d === 0)).toBe(true);
  });
});
