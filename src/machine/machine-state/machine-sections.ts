/**
 * The ordered list of (id, instance, description, state) that a snapshot or a migration walks
 * for a `VirtMachine`, and the machine-wide step after a load that re-derives what is not on
 * the wire: hart views and TLBs (the LR/SC reservation is dropped), every interrupt line (each
 * device re-asserts its level, then the PLIC and CLINT drive the hart, then the Sstc timer),
 * the disk overlay, and the RAM dirty map (everything counts as written).
 *
 * Section ids are the device kinds; virtio transports use their slot number as the instance.
 */
import { hartDescription } from '../../core/cpu/hart-description.ts';
import { clintDescription } from '../../devices/clint/index.ts';
import { goldfishRtcDescription } from '../../devices/goldfish-rtc/index.ts';
import { plicDescription } from '../../devices/plic/index.ts';
import { sysconDescription } from '../../devices/syscon/index.ts';
import { uart16550Description } from '../../devices/uart16550/index.ts';
import { virtioMmioDescription } from '../../devices/virtio/index.ts';
import { virtioBlkDescription } from '../../devices/virtio-blk/index.ts';
import { virtioNetDescription } from '../../devices/virtio-net/index.ts';
import { virtioRngDescription } from '../../devices/virtio-rng/index.ts';
import { deviceSection, type DeviceSection } from '../../migration/stream/index.ts';
import type { VirtMachine } from '../virt-machine.ts';
import { boardDescription, BoardView } from './board-description.ts';
import { applyDiskOverlay, diskOverlaySection, isOverlayDisk, type DiskOverlayState, type OverlayDisk } from './disk-overlay.ts';

export interface MachineStateList {
  /** Every section, in stream order. */
  readonly sections: readonly DeviceSection[];
  /** The machine-wide step after all sections loaded. */
  afterLoad(): void;
}

/** Builds the section list of `m` (fresh wire views; the states are the machine's own objects). */
export function machineStateList(m: VirtMachine): MachineStateList {
  const board = m.board;
  const sections: DeviceSection[] = [
    deviceSection('hart', 0, hartDescription, m.hart.state),
    deviceSection('board', 0, boardDescription(board.consoleIn.length, board.consoleOut.length), new BoardView(board)),
    deviceSection('clint', 0, clintDescription(m.clint.harts), m.clint.state),
    deviceSection('plic', 0, plicDescription, m.plic.state),
    deviceSection('uart16550', 0, uart16550Description, m.uart.state),
    deviceSection('goldfish-rtc', 0, goldfishRtcDescription, m.rtc.state),
    deviceSection('syscon', 0, sysconDescription, m.syscon.state),
  ];
  m.virtio.forEach((t, slot) => {
    if (t) sections.push(deviceSection('virtio-mmio', slot, virtioMmioDescription, t.state));
  });
  if (m.blk) sections.push(deviceSection('virtio-blk', 0, virtioBlkDescription, m.blk.state));
  if (m.rng) sections.push(deviceSection('virtio-rng', 0, virtioRngDescription, m.rng.state));
  if (m.net) sections.push(deviceSection('virtio-net', 0, virtioNetDescription, m.net.state));
  let overlay: { disk: OverlayDisk; state: DiskOverlayState } | undefined;
  if (m.disk && isOverlayDisk(m.disk) && m.disk.copyOnWrite) {
    const o = diskOverlaySection(m.disk);
    overlay = { disk: m.disk, state: o.state };
    sections.push(deviceSection('disk-overlay', 0, o.description, o.state));
  }
  return {
    sections,
    afterLoad: () => {
      if (overlay) applyDiskOverlay(overlay.disk, overlay.state);
      machineAfterLoad(m);
    },
  };
}

/** The device sections of `m` in stream order (for `StreamWriter.deviceSections`). */
export function machineSections(m: VirtMachine): readonly DeviceSection[] {
  return machineStateList(m).sections;
}

/** Re-derives everything that is not on the wire, after every section of `m` was loaded. */
export function machineAfterLoad(m: VirtMachine): void {
  const hart = m.hart;
  hart.rebind();
  hart.mipHw = 0;
  // Devices re-assert their PLIC source levels, then the PLIC and CLINT drive the hart's lines.
  m.uart.afterLoad();
  m.rtc.afterLoad();
  for (const t of m.virtio) t?.afterLoad();
  m.plic.afterLoad();
  m.clint.afterLoad();
  hart.updateTimers();
  // The loader marked every page it wrote in the dirty map (LoadTarget.ramDirty); the others are zero.
}
