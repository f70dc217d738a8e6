import { describe, expect, it } from 'vitest';
import { ramGuestMemory } from '../../core/bus/guest-memory.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import { Ram } from '../../core/bus/ram.ts';
import { DeviceStatus, featureBit, InterruptBit, MmioReg, VirtioDeviceId } from '../virtio/regs.ts';
import { createVirtioMmioState } from '../virtio/state.ts';
import { TestDriver } from '../virtio/test-driver.ts';
import { VirtioMmio } from '../virtio/virtio-mmio.ts';
import { NULL_NET_BACKEND, type NetBackend } from './backend.ts';
import { NET_RX_QUEUE, NET_TX_QUEUE, NetConfig, NetFeature, NetHdr, VIRTIO_NET_S_LINK_UP } from './regs.ts';
import { createVirtioNetState } from './state.ts';
import { VirtioNet } from './virtio-net.ts';

const RAM_BASE = 0x8000_0000;
const MAC = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
/** Linux's small receive buffer: header + GOOD_PACKET_LEN (1518). */
const RX_BUF = NetHdr.Size + 1518;

function frame(len: number, fill: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i < 6 ? 0xff : (fill + i) & 0xff));
}

function setup() {
  const ram = new Ram(RAM_BASE, 0x10_0000);
  const irq = { level: false, set(l: boolean) { this.level = l; } } satisfies IrqLine & { level: boolean };
  const sent: Uint8Array[] = [];
  let rxReady = 0;
  const backend: NetBackend = { send: (f) => sent.push(f.slice()), rxReady: () => rxReady++ };
  const net = new VirtioNet(createVirtioNetState(MAC), backend);
  const t = new VirtioMmio(createVirtioMmioState(), net, irq, ramGuestMemory(ram));
  const drv = new TestDriver(t, ram);
  return { ram, irq, net, t, drv, sent, rxReadyCount: () => rxReady };
}

/** virtnet_probe + virtnet_open: MAC and STATUS, rx and tx queues, DRIVER_OK. */
function probe() {
  const env = setup();
  expect(env.drv.negotiate(featureBit(NetFeature.Mac) | featureBit(NetFeature.Status))).toBe(true);
  const rx = env.drv.setupQueue(NET_RX_QUEUE, 16);
  const tx = env.drv.setupQueue(NET_TX_QUEUE, 16);
  env.drv.driverOk();
  return { ...env, rx, tx };
}

describe('virtio-net config', () => {
  it('offers MAC and STATUS, shows the MAC and link up', () => {
    const { drv } = setup();
    expect(drv.reg(MmioReg.DeviceId)).toBe(VirtioDeviceId.Net);
    const f = drv.deviceFeatures();
    expect(f & featureBit(NetFeature.Mac)).not.toBe(0n);
    expect(f & featureBit(NetFeature.Status)).not.toBe(0n);
    expect(f & featureBit(NetFeature.MrgRxbuf)).toBe(0n);
    expect(f & featureBit(NetFeature.Csum)).toBe(0n);
    expect(Array.from({ length: 6 }, (_, i) => drv.config(NetConfig.Mac + i, 1))).toEqual(MAC);
    expect(drv.config(NetConfig.Status, 2)).toBe(VIRTIO_NET_S_LINK_UP);
  });

  it('a link change updates status, ConfigGeneration and raises a config interrupt', () => {
    const { drv, net, irq } = probe();
    const gen = drv.reg(MmioReg.ConfigGeneration);
    net.setLinkUp(false);
    expect(drv.config(NetConfig.Status, 2)).toBe(0);
    expect(drv.reg(MmioReg.ConfigGeneration)).not.toBe(gen);
    expect(irq.level).toBe(true);
    expect(drv.takeInterrupt()).toBe(InterruptBit.ConfigChange);
  });
});

describe('virtio-net transmit', () => {
  it('strips virtio_net_hdr and hands the frame to the backend, across descriptors', () => {
    const { drv, tx, sent, irq, net } = probe();
    const f = frame(60, 3);
    const hdr = drv.put(new Uint8Array(NetHdr.Size));
    const body = drv.put(f);
    const head = tx.add([
      { addr: hdr, len: NetHdr.Size },
      { addr: body, len: 20 },
      { addr: body + 20, len: 40 },
    ]);
    tx.kick();
    expect(sent).toEqual([f]);
    expect(tx.reap()).toEqual([{ id: head, len: 0 }]);
    expect(irq.level).toBe(true);
    expect(net.state.txPackets).toBe(1);
    expect(net.state.txBytes).toBe(60);
  });

  it('a buffer shorter than the header is a guest error', () => {
    const { drv, tx, sent } = probe();
    tx.add([{ addr: drv.put(new Uint8Array(4)), len: 4 }]);
    tx.kick();
    expect(sent).toEqual([]);
    expect(drv.status() & DeviceStatus.DeviceNeedsReset).toBe(DeviceStatus.DeviceNeedsReset);
  });
});

describe('virtio-net receive', () => {
  it('writes header (num_buffers = 1) and frame into a posted buffer', () => {
    const { drv, rx, net, irq, rxReadyCount } = probe();
    const buf = drv.alloc(RX_BUF);
    const head = rx.add([{ addr: buf, len: RX_BUF, write: true }]);
    const before = rxReadyCount();
    rx.kick();
    expect(rxReadyCount()).toBe(before + 1);
    const f = frame(1514, 9);
    expect(net.receive(f)).toBe(true);
    expect(rx.reap()).toEqual([{ id: head, len: NetHdr.Size + 1514 }]);
    const hdr = new Uint8Array(NetHdr.Size);
    hdr[NetHdr.NumBuffers] = 1;
    expect(drv.bytes(buf, NetHdr.Size)).toEqual(hdr);
    expect(drv.bytes(buf + NetHdr.Size, 1514)).toEqual(f);
    expect(irq.level).toBe(true);
    expect(net.state.rxPackets).toBe(1);
  });

  it('returns false when no receive buffer is posted, and before the driver is ready', () => {
    const env = setup();
    expect(env.net.receive(frame(60, 1))).toBe(false);
    const { net } = probe();
    expect(net.receive(frame(60, 1))).toBe(false);
  });

  it('drops a frame larger than the posted buffer, returning the buffer empty', () => {
    const { drv, rx, net } = probe();
    const head = rx.add([{ addr: drv.alloc(100), len: 100, write: true }]);
    expect(net.receive(frame(200, 1))).toBe(true);
    expect(rx.reap()).toEqual([{ id: head, len: 0 }]);
    expect(net.state.rxDropped).toBe(1);
    expect(net.state.rxPackets).toBe(0);
  });

  it('drops frames while the link is down without consuming buffers', () => {
    const { drv, rx, net } = probe();
    rx.add([{ addr: drv.alloc(RX_BUF), len: RX_BUF, write: true }]);
    net.setLinkUp(false);
    expect(net.receive(frame(60, 1))).toBe(true);
    expect(rx.usedIdx()).toBe(0);
    expect(net.state.rxDropped).toBe(1);
  });

  it('after reset through Status = 0 nothing is received until the driver sets up again', () => {
    const { drv, rx, net, t } = probe();
    rx.add([{ addr: drv.alloc(RX_BUF), len: RX_BUF, write: true }]);
    drv.setReg(MmioReg.Status, 0);
    expect(t.state.queueReady[NET_RX_QUEUE]).toBe(0);
    expect(net.receive(frame(60, 1))).toBe(false);
    expect(rx.usedIdx()).toBe(0);
  });

  it('the null backend swallows frames', () => {
    const net = new VirtioNet(createVirtioNetState(MAC), NULL_NET_BACKEND);
    const ram = new Ram(RAM_BASE, 0x10_0000);
    const drv = new TestDriver(new VirtioMmio(createVirtioMmioState(), net, { set() {} }, ramGuestMemory(ram)), ram);
    drv.negotiate();
    drv.setupQueue(NET_RX_QUEUE, 4);
    const tx = drv.setupQueue(NET_TX_QUEUE, 4);
    drv.driverOk();
    tx.add([{ addr: drv.put(new Uint8Array(NetHdr.Size + 60)), len: NetHdr.Size + 60 }]);
    tx.kick();
    expect(tx.reap()).toHaveLength(1);
    expect(net.state.txPackets).toBe(1);
  });
});
