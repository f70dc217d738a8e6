/**
 * The boot ROM at 0x1000 (QEMU `virt`, hw/riscv/boot.c `riscv_setup_rom_reset_vec`): a
 * six-instruction reset vector that jumps to the firmware with a0 = hartid, a1 = device tree,
 * a2 = &fw_dynamic_info, followed by the `fw_dynamic_info` that tells OpenSBI where the kernel
 * is and that it runs in S-mode.
 */
import type { AccessSize, MmioDevice } from '../core/bus/mmio.ts';

/** struct fw_dynamic_info (OpenSBI include/sbi/fw_dynamic.h). */
export const FW_DYNAMIC_INFO_MAGIC = 0x4942534f; // "OSBI"
export const FW_DYNAMIC_INFO_VERSION = 2;
export const FW_DYNAMIC_NEXT_MODE_S = 1;

const RESET_VECTOR = [
  0x00000297, // auipc t0, 0
  0x02828613, // addi  a2, t0, 40    -> &fw_dynamic_info
  0xf1402573, // csrr  a0, mhartid
  0x0202b583, // ld    a1, 32(t0)    -> device tree address
  0x0182b283, // ld    t0, 24(t0)    -> firmware entry
  0x00028067, // jr    t0
];

export function buildResetRom(size: number, firmwareEntry: number, fdtAddr: number, kernelEntry: number): Uint8Array {
  const rom = new Uint8Array(size);
  const dv = new DataView(rom.buffer);
  RESET_VECTOR.forEach((insn, i) => dv.setUint32(4 * i, insn, true));
  dv.setBigUint64(24, BigInt(firmwareEntry), true);
  dv.setBigUint64(32, BigInt(fdtAddr), true);
  const info = [FW_DYNAMIC_INFO_MAGIC, FW_DYNAMIC_INFO_VERSION, kernelEntry, FW_DYNAMIC_NEXT_MODE_S, 0, 0];
  info.forEach((v, i) => dv.setBigUint64(40 + 8 * i, BigInt(v), true));
  return rom;
}

/** Read-only memory as a device: writes are ignored. */
export class Rom implements MmioDevice {
  constructor(private readonly bytes: Uint8Array) {}

  read(offset: number, size: AccessSize): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= (this.bytes[offset + i] ?? 0) << (8 * i);
    return v >>> 0;
  }

  write(): void {}
}
