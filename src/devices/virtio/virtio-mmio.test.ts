import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ramGuestMemory } from '../../core/bus/guest-memory.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import type { AccessSize } from '../../core/bus/mmio.ts';
import { Ram } from '../../core/bus/ram.ts';
import { readConfigBytes, type VirtioDevice, type VirtioHost, type VirtioRequest } from './device.ts';
import { EmptyVirtioSlot } from './empty-slot.ts';
import { DeviceStatus, featureBit, InterruptBit, MmioReg, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR_ID } from './regs.ts';
import { createVirtioMmioState } from './state.ts';
import { TestDriver } from './test-driver.ts';
import { gather, scatter, VirtqDescFlag } from './virtqueue.ts';
import { VirtioMmio } from './virtio-mmio.ts';

const RAM_BASE = 0x8000_0000;
const RAM_SIZE = 0x10_0000;
const ECHO_FEATURE = 3;

/** A device model for transport tests: copies each request's readable bytes into its writable
 *  part, now or (when `hold` is set) later through `complete()`. */
class EchoDevice implements VirtioDevice {
  readonly deviceId = 0x42;
  readonly queueCount = 2;
  readonly queueSizeMax = 16;
  readonly features = featureBit(ECHO_FEATURE);
  host!: VirtioHost;
  resets = 0;
  notifies: number[] = [];
  hold = false;
  held: VirtioRequest[] = [];
  config = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

  attach(host: VirtioHost): void {
    this.host = host;
  }
  readConfig(offset: number, size: AccessSize): number {
    return readConfigBytes(this.config, offset, size);
  }
  writeConfig(offset: number, _size: AccessSize, value: number): void {
    this.config[offset] = value;
  }
  notify(q: number): void {
    this.notifies.push(q);
    for (let req = this.host.pop(q); req; req = this.host.pop(q)) {
      if (this.hold) this.held.push(req);
      else this.finish(req);
    }
  }
  finish(req: VirtioRequest): void {
    const buf = new Uint8Array(Math.min(req.readableBytes, req.writableBytes));
    gather(this.host.mem, req.readable, 0, buf);
    this.host.push(req, scatter(this.host.mem, req.writable, 0, buf));
  }
  reset(): void {
    this.resets++;
  }
}

function setup() {
  const ram = new Ram(RAM_BASE, RAM_SIZE);
  const irq = { level: false, set(l: boolean) { this.level = l; } } satisfies IrqLine & { level: boolean };
  const dev = new EchoDevice();
  const t = new VirtioMmio(createVirtioMmioState(), dev, irq, ramGuestMemory(ram));
  const drv = new TestDriver(t, ram);
  return { ram, irq, dev, t, drv };
}

/** Negotiates, sets up queue 0 with 8 entries, sets DRIVER_OK. */
function ready() {
  const env = setup();
  expect(env.drv.negotiate()).toBe(true);
  const vq = env.drv.setupQueue(0, 8);
  env.drv.driverOk();
  return { ...env, vq };
}

describe('virtio-mmio identification', () => {
  it('reports magic, version 2, device and vendor IDs', () => {
    const { drv } = setup();
    expect(drv.reg(MmioReg.MagicValue)).toBe(VIRTIO_MMIO_MAGIC);
    expect(drv.reg(MmioReg.Version)).toBe(2);
    expect(drv.reg(MmioReg.DeviceId)).toBe(0x42);
    expect(drv.reg(MmioReg.VendorId)).toBe(VIRTIO_MMIO_VENDOR_ID);
  });

  it('an empty slot has device ID 0 and ignores writes', () => {
    const slot = new EmptyVirtioSlot();
    expect(slot.read(MmioReg.MagicValue, 4)).toBe(VIRTIO_MMIO_MAGIC);
    expect(slot.read(MmioReg.Version, 4)).toBe(2);
    expect(slot.read(MmioReg.DeviceId, 4)).toBe(0);
    slot.write(MmioReg.Status, 4, 7);
    expect(slot.read(MmioReg.Status, 4)).toBe(0);
  });

  it('offers VERSION_1 plus the model features, and no ring features', () => {
    const { drv } = setup();
    const f = drv.deviceFeatures();
    expect(f).toBe(featureBit(32) | featureBit(ECHO_FEATURE));
    drv.setReg(MmioReg.DeviceFeaturesSel, 2);
    expect(drv.reg(MmioReg.DeviceFeatures)).toBe(0);
  });

  it('reads the device config space from 0x100 at 1, 2 and 4 bytes', () => {
    const { drv } = setup();
    expect(drv.config(0, 1)).toBe(1);
    expect(drv.config(2, 2)).toBe(0x0403);
    expect(drv.config(4, 4)).toBe(0x08070605);
    expect(drv.config(8, 4)).toBe(0);
  });
});

describe('virtio-mmio feature negotiation', () => {
  it('keeps FEATURES_OK for a subset of the offer including VERSION_1', () => {
    const { drv, t } = setup();
    expect(drv.negotiate(featureBit(ECHO_FEATURE))).toBe(true);
    expect(t.driverFeatures()).toBe(featureBit(32) | featureBit(ECHO_FEATURE));
  });

  it('refuses FEATURES_OK for a feature that was not offered', () => {
    const { drv } = setup();
    expect(drv.negotiate(featureBit(29))).toBe(false); // EVENT_IDX is not offered
  });

  it('refuses FEATURES_OK without VERSION_1', () => {
    const { drv } = setup();
    drv.setReg(MmioReg.Status, DeviceStatus.Acknowledge | DeviceStatus.Driver);
    expect(drv.writeFeatures(featureBit(ECHO_FEATURE))).toBe(false);
  });

  it('ignores DriverFeatures writes after FEATURES_OK', () => {
    const { drv, t } = setup();
    drv.negotiate(0n);
    drv.setReg(MmioReg.DriverFeaturesSel, 0);
    drv.setReg(MmioReg.DriverFeatures, 1 << ECHO_FEATURE);
    expect(t.driverFeatures()).toBe(featureBit(32));
  });
});

describe('virtio-mmio queues', () => {
  it('reports QueueNumMax for existing queues only and reads QueueReady back', () => {
    const { drv } = setup();
    drv.negotiate();
    drv.setReg(MmioReg.QueueSel, 1);
    expect(drv.reg(MmioReg.QueueNumMax)).toBe(16);
    drv.setReg(MmioReg.QueueSel, 2);
    expect(drv.reg(MmioReg.QueueNumMax)).toBe(0);
    drv.setupQueue(1, 4);
    drv.setReg(MmioReg.QueueSel, 1);
    expect(drv.reg(MmioReg.QueueReady)).toBe(1);
    drv.setReg(MmioReg.QueueReady, 0);
    expect(drv.reg(MmioReg.QueueReady)).toBe(0);
  });

  it('processes a chain, writes the used ring and raises the interrupt until acknowledged', () => {
    const { drv, vq, irq, t } = ready();
    const src = drv.put(Uint8Array.of(9, 8, 7, 6));
    const dst = drv.alloc(4);
    const head = vq.add([{ addr: src, len: 4 }, { addr: dst, len: 4, write: true }]);
    expect(irq.level).toBe(false);
    vq.kick();
    expect(vq.reap()).toEqual([{ id: head, len: 4 }]);
    expect(drv.bytes(dst, 4)).toEqual(Uint8Array.of(9, 8, 7, 6));
    expect(irq.level).toBe(true);
    expect(drv.takeInterrupt()).toBe(InterruptBit.UsedBuffer);
    expect(irq.level).toBe(false);
    expect(t.state.lastAvailIdx[0]).toBe(1);
    expect(t.state.usedIdx[0]).toBe(1);
  });

  it('marks the pages the device wrote dirty', () => {
    const { drv, vq, ram } = ready();
    const dst = drv.alloc(4);
    ram.clearDirty();
    vq.add([{ addr: drv.put(Uint8Array.of(1)), len: 1 }, { addr: dst, len: 4, write: true }]);
    ram.clearDirty();
    vq.kick();
    expect(ram.dirty[(dst - RAM_BASE) >>> 12]).toBe(1);
    expect(ram.dirty[(vq.used - RAM_BASE) >>> 12]).toBe(1);
  });

  it('wraps the free-running indices past 2^16', () => {
    const { drv, vq } = ready();
    const src = drv.put(Uint8Array.of(5));
    const dst = drv.alloc(1);
    let reaped = 0;
    for (let i = 0; i < 0x1_0000 + 10; i++) {
      vq.add([{ addr: src, len: 1 }, { addr: dst, len: 1, write: true }]);
      vq.kick();
      reaped += vq.reap().length;
    }
    expect(reaped).toBe(0x1_0000 + 10);
    expect(vq.usedIdx()).toBe(10);
  });

  it('does not interrupt while the driver sets VIRTQ_AVAIL_F_NO_INTERRUPT', () => {
    const { drv, vq, irq } = ready();
    vq.suppressInterrupts(true);
    vq.add([{ addr: drv.alloc(4), len: 4, write: true }]);
    vq.kick();
    expect(vq.reap()).toHaveLength(1);
    expect(irq.level).toBe(false);
  });

  it('does not consume buffers before DRIVER_OK, and processes them when it is set', () => {
    const { drv, dev } = setup();
    drv.negotiate();
    const vq = drv.setupQueue(0, 8);
    vq.add([{ addr: drv.alloc(4), len: 4, write: true }]);
    vq.kick();
    expect(dev.notifies).toEqual([]);
    expect(vq.usedIdx()).toBe(0);
    drv.driverOk();
    expect(vq.reap()).toHaveLength(1);
  });

  it('resets everything on Status = 0 and drops completions from before the reset', () => {
    const { drv, vq, dev, irq, t } = ready();
    dev.hold = true;
    vq.add([{ addr: drv.alloc(4), len: 4, write: true }]);
    vq.kick();
    expect(dev.held).toHaveLength(1);
    const resetsBefore = dev.resets;
    drv.setReg(MmioReg.Status, 0);
    expect(dev.resets).toBe(resetsBefore + 1);
    expect(drv.status()).toBe(0);
    expect(t.state.queueReady[0]).toBe(0);
    expect(t.state.lastAvailIdx[0]).toBe(0);
    expect(t.state.driverFeatures).toEqual(new Uint32Array(2));
    // The driver sets the queue up again in the same place; the old request must not land.
    drv.negotiate();
    vq.enable();
    drv.driverOk();
    dev.finish(dev.held[0]!);
    expect(vq.usedIdx()).toBe(0);
    expect(irq.level).toBe(false);
  });

  it('completes later requests through the same path (asynchronous completion)', () => {
    const { drv, vq, dev, irq } = ready();
    dev.hold = true;
    vq.add([{ addr: drv.alloc(4), len: 4, write: true }]);
    vq.kick();
    expect(vq.usedIdx()).toBe(0);
    dev.finish(dev.held.pop()!);
    expect(vq.reap()).toHaveLength(1);
    expect(irq.level).toBe(true);
  });

  it('bumps ConfigGeneration and raises a config interrupt when the device says so', () => {
    const { drv, dev, irq } = ready();
    const g = drv.reg(MmioReg.ConfigGeneration);
    dev.host.configChanged();
    expect(drv.reg(MmioReg.ConfigGeneration)).toBe(g + 1);
    expect(irq.level).toBe(true);
    expect(drv.takeInterrupt()).toBe(InterruptBit.ConfigChange);
  });

  it('a state copied field by field into a new transport continues the same rings', () => {
    const { drv, vq, t, ram } = ready();
    const src = drv.put(Uint8Array.of(1, 2));
    const dst = drv.alloc(2);
    vq.add([{ addr: src, len: 2 }, { addr: dst, len: 2, write: true }]);
    vq.kick();
    expect(vq.reap()).toHaveLength(1);

    const irq2 = { level: false, set(l: boolean) { this.level = l; } };
    const t2 = new VirtioMmio(createVirtioMmioState(), new EchoDevice(), irq2, ramGuestMemory(ram));
    Object.assign(t2.state, structuredClone(t.state));
    t2.afterLoad();
    expect(irq2.level).toBe(true); // the first completion's interrupt was not acknowledged yet
    const drv2 = new TestDriver(t2, ram);
    vq.add([{ addr: src, len: 2 }, { addr: dst + 1, len: 1, write: true }]);
    drv2.setReg(MmioReg.QueueNotify, 0);
    expect(vq.reap()).toEqual([{ id: expect.any(Number), len: 1 }]);
    expect(t2.state.lastAvailIdx[0]).toBe(2);
    expect(drv.bytes(dst, 2)).toEqual(Uint8Array.of(1, 1));
  });

  it('afterLoad re-derives the IRQ level from the restored state', () => {
    const { t, irq } = ready();
    t.state.interruptStatus = InterruptBit.UsedBuffer;
    expect(irq.level).toBe(false);
    t.afterLoad();
    expect(irq.level).toBe(true);
  });
});

describe('virtio-mmio guest errors', () => {
  function expectNeedsReset(env: ReturnType<typeof ready>) {
    expect(env.drv.status() & DeviceStatus.DeviceNeedsReset).toBe(DeviceStatus.DeviceNeedsReset);
    expect(env.irq.level).toBe(true);
    expect(env.drv.takeInterrupt()).toBe(InterruptBit.ConfigChange);
    expect(env.t.lastError).not.toBeNull();
  }

  it('a buffer outside RAM sets DEVICE_NEEDS_RESET and stops the queue', () => {
    const env = ready();
    env.vq.add([{ addr: 0x1000, len: 16, write: true }]);
    env.vq.kick();
    expectNeedsReset(env);
    expect(env.vq.usedIdx()).toBe(0);
    // Further work is ignored until a reset; the driver cannot clear the bit itself.
    env.drv.setReg(MmioReg.Status, DeviceStatus.Acknowledge | DeviceStatus.Driver | DeviceStatus.FeaturesOk | DeviceStatus.DriverOk);
    expect(env.drv.status() & DeviceStatus.DeviceNeedsReset).toBe(DeviceStatus.DeviceNeedsReset);
    env.vq.add([{ addr: env.drv.alloc(4), len: 4, write: true }]);
    env.vq.kick();
    expect(env.vq.usedIdx()).toBe(0);
    env.drv.setReg(MmioReg.Status, 0);
    expect(env.drv.status()).toBe(0);
  });

  it('a descriptor loop is detected within the queue size', () => {
    const env = ready();
    const buf = env.drv.alloc(4);
    env.vq.writeDesc(0, buf, 4, VirtqDescFlag.Next | VirtqDescFlag.Write, 1);
    env.vq.writeDesc(1, buf, 4, VirtqDescFlag.Next | VirtqDescFlag.Write, 0);
    env.vq.publish(0);
    env.vq.kick();
    expectNeedsReset(env);
    expect(env.t.lastError).toMatch(/loop/);
  });

  it('a next index beyond the queue is an error', () => {
    const env = ready();
    env.vq.writeDesc(0, env.drv.alloc(4), 4, VirtqDescFlag.Next, 200);
    env.vq.publish(0);
    env.vq.kick();
    expectNeedsReset(env);
  });

  it('a readable descriptor after a writable one is an error', () => {
    const env = ready();
    const a = env.drv.alloc(8);
    env.vq.add([{ addr: a, len: 4, write: true }, { addr: a + 4, len: 4 }]);
    env.vq.kick();
    expectNeedsReset(env);
  });

  it('an indirect descriptor (not offered) is an error', () => {
    const env = ready();
    env.vq.writeDesc(0, env.drv.alloc(16), 16, VirtqDescFlag.Indirect, 0);
    env.vq.publish(0);
    env.vq.kick();
    expectNeedsReset(env);
  });

  it('an avail->idx too far ahead is an error', () => {
    const env = ready();
    new DataView(env.ram.buffer).setUint16(env.vq.avail - RAM_BASE + 2, 100, true);
    env.vq.kick();
    expectNeedsReset(env);
  });

  it('enabling a queue whose rings are outside RAM or whose size is not a power of two fails', () => {
    for (const [num, desc] of [
      [8, 0x1000],
      [6, RAM_BASE],
    ] as const) {
      const { drv, t } = setup();
      drv.negotiate();
      drv.setReg(MmioReg.QueueSel, 0);
      drv.setReg(MmioReg.QueueNum, num);
      drv.setReg(MmioReg.QueueDescLow, desc);
      drv.setReg(MmioReg.QueueDriverLow, RAM_BASE + 0x1000);
      drv.setReg(MmioReg.QueueDeviceLow, RAM_BASE + 0x2000);
      drv.setReg(MmioReg.QueueReady, 1);
      expect(drv.reg(MmioReg.QueueReady)).toBe(0);
      expect(drv.status() & DeviceStatus.DeviceNeedsReset).toBe(DeviceStatus.DeviceNeedsReset);
      expect(t.lastError).not.toBeNull();
    }
  });

  it('any descriptor table contents: no throw, bounded work, and a consistent outcome', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(0x2000), fc.nat(7), fc.nat(15)), { minLength: 8, maxLength: 8 }),
        fc.nat(7),
        (descs, head) => {
          const env = ready();
          const base = RAM_BASE + 0x8_0000;
          descs.forEach(([off, len, flags, next], i) => env.vq.writeDesc(i, base + (off % 0x9_0000), len, flags, next));
          env.vq.publish(head);
          env.vq.kick();
          const broken = (env.drv.status() & DeviceStatus.DeviceNeedsReset) !== 0;
          expect(env.vq.usedIdx()).toBe(broken ? 0 : 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
