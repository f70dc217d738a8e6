/**
 * Test support only: a tiny virtio-mmio driver that does what Linux's virtio_mmio and
 * virtio_ring do (probe, feature negotiation, split-queue setup, adding chains, kicking,
 * reaping used buffers, acknowledging interrupts), over a Ram and an MmioDevice. Device
 * tests use it to talk to a device as a guest would. It writes RAM directly, as a CPU would.
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import type { Ram } from '../../core/bus/ram.ts';
import { DeviceStatus, featureBit, MmioReg, VirtioFeature } from './regs.ts';
import { availRingBytes, descTableBytes, usedRingBytes, VirtqAvail, VirtqDesc, VirtqDescFlag, VirtqUsed } from './virtqueue.ts';

export interface DriverBuffer {
  readonly addr: number;
  readonly len: number;
  /** Device-writable. */
  readonly write?: boolean;
}

export interface UsedElem {
  readonly id: number;
  readonly len: number;
}

export class TestDriver {
  private next: number;

  constructor(
    readonly dev: MmioDevice,
    readonly ram: Ram,
    /** First guest-physical address the bump allocator hands out. */
    heapStart = ram.base + 0x1000,
  ) {
    this.next = heapStart;
  }

  reg(offset: number, size: AccessSize = 4): number {
    return this.dev.read(offset, size);
  }

  setReg(offset: number, value: number, size: AccessSize = 4): void {
    this.dev.write(offset, size, value >>> 0);
  }

  config(offset: number, size: AccessSize): number {
    return this.reg(MmioReg.Config + offset, size);
  }

  /** Bump-allocates `len` bytes of guest RAM aligned to `align`. */
  alloc(len: number, align = 16): number {
    const addr = Math.ceil(this.next / align) * align;
    if (!this.ram.contains(addr, len)) throw new RangeError('test heap exhausted');
    this.next = addr + len;
    return addr;
  }

  /** Allocates and fills a buffer; returns its address. */
  put(bytes: Uint8Array, align = 16): number {
    const addr = this.alloc(bytes.length, align);
    this.ram.u8.set(bytes, addr - this.ram.base);
    return addr;
  }

  bytes(addr: number, len: number): Uint8Array {
    return this.ram.u8.slice(addr - this.ram.base, addr - this.ram.base + len);
  }

  deviceFeatures(): bigint {
    this.setReg(MmioReg.DeviceFeaturesSel, 1);
    const hi = this.reg(MmioReg.DeviceFeatures);
    this.setReg(MmioReg.DeviceFeaturesSel, 0);
    const lo = this.reg(MmioReg.DeviceFeatures);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  status(): number {
    return this.reg(MmioReg.Status);
  }

  /** Resets, acknowledges, and negotiates `wanted ∩ offered` (plus VERSION_1, as Linux
   *  insists on for version 2). Returns whether the device kept FEATURES_OK. */
  negotiate(wanted: bigint = this.deviceFeatures()): boolean {
    this.setReg(MmioReg.Status, 0);
    this.setReg(MmioReg.Status, DeviceStatus.Acknowledge);
    this.setReg(MmioReg.Status, DeviceStatus.Acknowledge | DeviceStatus.Driver);
    const f = wanted | featureBit(VirtioFeature.Version1);
    return this.writeFeatures(f);
  }

  /** Writes the driver features exactly as given, sets FEATURES_OK, and reports if it stuck. */
  writeFeatures(f: bigint): boolean {
    this.setReg(MmioReg.DriverFeaturesSel, 1);
    this.setReg(MmioReg.DriverFeatures, Number(f >> 32n));
    this.setReg(MmioReg.DriverFeaturesSel, 0);
    this.setReg(MmioReg.DriverFeatures, Number(f & 0xffff_ffffn));
    this.setReg(MmioReg.Status, this.status() | DeviceStatus.FeaturesOk);
    return (this.status() & DeviceStatus.FeaturesOk) !== 0;
  }

  /** Allocates and enables queue `q` with `size` entries (vm_setup_vq). */
  setupQueue(q: number, size: number): DriverQueue {
    this.setReg(MmioReg.QueueSel, q);
    if (this.reg(MmioReg.QueueReady) !== 0) throw new Error(`queue ${q} already ready`);
    const max = this.reg(MmioReg.QueueNumMax);
    if (max === 0 || size > max) throw new Error(`queue ${q}: QueueNumMax ${max}`);
    const desc = this.alloc(descTableBytes(size), 16);
    const avail = this.alloc(availRingBytes(size), 2);
    const used = this.alloc(usedRingBytes(size), 4);
    const vq = new DriverQueue(this, q, size, desc, avail, used);
    vq.enable();
    return vq;
  }

  driverOk(): void {
    this.setReg(MmioReg.Status, this.status() | DeviceStatus.DriverOk);
  }

  /** What vm_interrupt does: read InterruptStatus, acknowledge it, return it. */
  takeInterrupt(): number {
    const st = this.reg(MmioReg.InterruptStatus);
    this.setReg(MmioReg.InterruptAck, st);
    return st;
  }
}

export class DriverQueue {
  private free: number[] = [];
  private availIdx = 0;
  private lastUsed = 0;

  constructor(
    readonly drv: TestDriver,
    readonly index: number,
    readonly size: number,
    readonly desc: number,
    readonly avail: number,
    readonly used: number,
  ) {
    for (let i = 0; i < size; i++) this.free.push(i);
  }

  /** Writes QueueNum, the three addresses and QueueReady = 1. */
  enable(): void {
    const d = this.drv;
    d.setReg(MmioReg.QueueSel, this.index);
    d.setReg(MmioReg.QueueNum, this.size);
    d.setReg(MmioReg.QueueDescLow, this.desc);
    d.setReg(MmioReg.QueueDescHigh, Math.floor(this.desc / 0x1_0000_0000));
    d.setReg(MmioReg.QueueDriverLow, this.avail);
    d.setReg(MmioReg.QueueDriverHigh, Math.floor(this.avail / 0x1_0000_0000));
    d.setReg(MmioReg.QueueDeviceLow, this.used);
    d.setReg(MmioReg.QueueDeviceHigh, Math.floor(this.used / 0x1_0000_0000));
    d.setReg(MmioReg.QueueReady, 1);
  }

  /** Writes one raw descriptor (for building malformed chains). */
  writeDesc(i: number, addr: number, len: number, flags: number, next: number): void {
    const ram = this.drv.ram;
    const o = this.desc + VirtqDesc.Size * i - ram.base;
    const dv = new DataView(ram.buffer);
    dv.setBigUint64(o + VirtqDesc.Addr, BigInt(addr), true);
    dv.setUint32(o + VirtqDesc.Len, len, true);
    dv.setUint16(o + VirtqDesc.Flags, flags, true);
    dv.setUint16(o + VirtqDesc.Next, next, true);
  }

  /** Puts descriptor `head` into the available ring and publishes avail->idx. */
  publish(head: number): void {
    const dv = new DataView(this.drv.ram.buffer);
    const base = this.avail - this.drv.ram.base;
    dv.setUint16(base + VirtqAvail.Ring + VirtqAvail.ElemSize * (this.availIdx % this.size), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    dv.setUint16(base + VirtqAvail.Idx, this.availIdx, true);
  }

  /** Adds a chain of buffers (readable ones first) and publishes it; returns the head. */
  add(bufs: readonly DriverBuffer[]): number {
    if (bufs.length === 0 || bufs.length > this.free.length) throw new Error('no room for chain');
    const ids = this.free.splice(0, bufs.length);
    bufs.forEach((b, k) => {
      const last = k === bufs.length - 1;
      const flags = (b.write ? VirtqDescFlag.Write : 0) | (last ? 0 : VirtqDescFlag.Next);
      this.writeDesc(ids[k]!, b.addr, b.len, flags, last ? 0 : ids[k + 1]!);
    });
    this.publish(ids[0]!);
    return ids[0]!;
  }

  kick(): void {
    this.drv.setReg(MmioReg.QueueNotify, this.index);
  }

  /** Sets or clears VIRTQ_AVAIL_F_NO_INTERRUPT. */
  suppressInterrupts(on: boolean): void {
    new DataView(this.drv.ram.buffer).setUint16(this.avail - this.drv.ram.base + VirtqAvail.Flags, on ? 1 : 0, true);
  }

  usedIdx(): number {
    return new DataView(this.drv.ram.buffer).getUint16(this.used - this.drv.ram.base + VirtqUsed.Idx, true);
  }

  /** Used elements published since the last call; their descriptors go back to the free list. */
  reap(): UsedElem[] {
    const dv = new DataView(this.drv.ram.buffer);
    const base = this.used - this.drv.ram.base;
    const out: UsedElem[] = [];
    const idx = this.usedIdx();
    while (this.lastUsed !== idx) {
      const e = base + VirtqUsed.Ring + VirtqUsed.ElemSize * (this.lastUsed % this.size);
      const id = dv.getUint32(e + VirtqUsed.ElemId, true);
      out.push({ id, len: dv.getUint32(e + VirtqUsed.ElemLen, true) });
      this.freeChain(id);
      this.lastUsed = (this.lastUsed + 1) & 0xffff;
    }
    return out;
  }

  private freeChain(head: number): void {
    const dv = new DataView(this.drv.ram.buffer);
    let i = head;
    for (let n = 0; n < this.size; n++) {
      this.free.push(i);
      const o = this.desc + VirtqDesc.Size * i - this.drv.ram.base;
      if (!(dv.getUint16(o + VirtqDesc.Flags, true) & VirtqDescFlag.Next)) break;
      i = dv.getUint16(o + VirtqDesc.Next, true);
    }
  }
}
