import { describe, expect, it } from 'vitest';
import { ramGuestMemory } from '../../core/bus/guest-memory.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import { Ram } from '../../core/bus/ram.ts';
import { MmioReg, VirtioDeviceId, VirtioFeature, featureBit } from '../virtio/regs.ts';
import { createVirtioMmioState } from '../virtio/state.ts';
import { TestDriver } from '../virtio/test-driver.ts';
import { VirtioMmio } from '../virtio/virtio-mmio.ts';
import { type EntropySource, seededEntropy, xoshiro128ss } from './entropy.ts';
import { createVirtioRngState, resetVirtioRng } from './state.ts';
import { RNG_MAX_FILL, VirtioRng } from './virtio-rng.ts';

const RAM_BASE = 0x8000_0000;

function probe(seed = 1234, source?: EntropySource) {
  const ram = new Ram(RAM_BASE, 0x10_0000);
  const irq = { level: false, set(l: boolean) { this.level = l; } } satisfies IrqLine & { level: boolean };
  const state = createVirtioRngState(seed);
  const rng = new VirtioRng(state, source ?? seededEntropy(state));
  const t = new VirtioMmio(createVirtioMmioState(), rng, irq, ramGuestMemory(ram));
  const drv = new TestDriver(t, ram);
  expect(drv.reg(MmioReg.DeviceId)).toBe(VirtioDeviceId.Entropy);
  expect(drv.deviceFeatures()).toBe(featureBit(VirtioFeature.Version1));
  expect(drv.negotiate(0n)).toBe(true);
  const vq = drv.setupQueue(0, 8);
  drv.driverOk();
  return { ram, irq, state, rng, drv, vq };
}

describe('xoshiro128**', () => {
  it('follows the reference algorithm (outputs worked by hand from state 1, 2, 3, 4)', () => {
    const s = Uint32Array.of(1, 2, 3, 4);
    expect([xoshiro128ss(s), xoshiro128ss(s), xoshiro128ss(s)]).toEqual([11520, 0, 5927040]);
  });
});

describe('virtio-rng', () => {
  it('fills a device-writable buffer and returns the length written', () => {
    const { drv, vq, irq, state } = probe();
    const buf = drv.alloc(64);
    const head = vq.add([{ addr: buf, len: 64, write: true }]);
    vq.kick();
    expect(vq.reap()).toEqual([{ id: head, len: 64 }]);
    expect(irq.level).toBe(true);
    const got = drv.bytes(buf, 64);
    expect(got.some((b) => b !== 0)).toBe(true);
    expect(state.bytesDelivered).toBe(64);
  });

  it('is deterministic for a seed, and continues from a restored generator state', () => {
    const run = (seed: number) => {
      const { drv, vq } = probe(seed);
      const buf = drv.alloc(40);
      vq.add([{ addr: buf, len: 40, write: true }]);
      vq.kick();
      return drv.bytes(buf, 40);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));

    const a = probe(99);
    const b = probe(5);
    const first = a.drv.alloc(16);
    a.vq.add([{ addr: first, len: 16, write: true }]);
    a.vq.kick();
    b.state.prng.set(a.state.prng); // as a restore would
    const next = [a, b].map((e) => {
      const buf = e.drv.alloc(16);
      e.vq.add([{ addr: buf, len: 16, write: true }]);
      e.vq.kick();
      return e.drv.bytes(buf, 16);
    });
    expect(next[0]).toEqual(next[1]);
  });

  it('machine reset restarts the sequence from the seed', () => {
    const s = createVirtioRngState(42);
    const src = seededEntropy(s);
    const a = new Uint8Array(8);
    src.fill(a);
    resetVirtioRng(s);
    const b = new Uint8Array(8);
    src.fill(b);
    expect(b).toEqual(a);
  });

  it('spreads bytes over a chain of several writable buffers, capped per request', () => {
    const counting: EntropySource = { fill: (d) => d.forEach((_, i) => (d[i] = i & 0xff)) };
    const { drv, vq } = probe(0, counting);
    const a = drv.alloc(3);
    const b = drv.alloc(5);
    vq.add([
      { addr: a, len: 3, write: true },
      { addr: b, len: 5, write: true },
    ]);
    const big = drv.alloc(RNG_MAX_FILL + 100);
    vq.add([{ addr: big, len: RNG_MAX_FILL + 100, write: true }]);
    vq.kick();
    expect(vq.reap().map((u) => u.len)).toEqual([8, RNG_MAX_FILL]);
    expect(drv.bytes(a, 3)).toEqual(Uint8Array.of(0, 1, 2));
    expect(drv.bytes(b, 5)).toEqual(Uint8Array.of(3, 4, 5, 6, 7));
    expect(drv.bytes(big + RNG_MAX_FILL, 100)).toEqual(new Uint8Array(100));
  });
});
