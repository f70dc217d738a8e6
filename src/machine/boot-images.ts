/**
 * Checks the boot images a user hands in and decides where they go in RAM, as QEMU's `virt`
 * does (hw/riscv/boot.c): firmware at the start of DRAM, the kernel at the first 2 MiB
 * boundary after it, the initramfs at kernel + min(RAM/2, 128 MiB), the device tree at the top
 * of RAM aligned down to 2 MiB. Bad input is refused with a BootImageError saying what is wrong.
 */
import { MiB } from './config.ts';
import { isElf, parseElf } from './elf.ts';

export class BootImageError extends Error {
  override readonly name = 'BootImageError';
}

/** RISC-V Linux `Image` header (Documentation/riscv/boot-image-header.rst). */
const IMAGE_MAGIC2_OFFSET = 56; // "RSC\x05"
const IMAGE_MAGIC_OFFSET = 48; // "RISCV\0\0\0" (deprecated but still written)
const FDT_MAGIC = 0xd00dfeed;

export interface Placed {
  addr: number;
  bytes: Uint8Array;
}

export interface BootLayout {
  firmware: Placed;
  firmwareEntry: number;
  kernel: Placed;
  kernelEntry: number;
  initrd?: Placed;
  fdtAddr: number;
}

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;
const alignDown = (v: number, a: number) => Math.floor(v / a) * a;

function ascii(b: Uint8Array, off: number, len: number): string {
  return String.fromCharCode(...b.subarray(off, off + len));
}

/** Firmware: a raw binary (fw_dynamic.bin) or an ELF; returns what to load where. */
function placeFirmware(fw: Uint8Array, ramBase: number): { placed: Placed; entry: number } {
  if (fw.length === 0) throw new BootImageError('firmware image is empty');
  if (isElf(fw)) {
    const elf = parseElf(fw, 'firmware');
    if (elf.segments.length !== 1) throw new BootImageError('firmware ELF must have exactly one loadable segment');
    const seg = elf.segments[0]!;
    const bytes = new Uint8Array(seg.memsz);
    bytes.set(seg.data);
    return { placed: { addr: seg.paddr, bytes }, entry: elf.entry };
  }
  return { placed: { addr: ramBase, bytes: fw }, entry: ramBase };
}

function checkKernel(kernel: Uint8Array): void {
  if (kernel.length < 64) throw new BootImageError(`kernel image is ${kernel.length} bytes: too small to be a RISC-V Linux Image`);
  if (isElf(kernel)) throw new BootImageError('kernel is an ELF file (vmlinux); pass the flat Image (arch/riscv/boot/Image)');
  const magic2 = ascii(kernel, IMAGE_MAGIC2_OFFSET, 4);
  const magic = ascii(kernel, IMAGE_MAGIC_OFFSET, 5);
  if (magic2 !== 'RSC\x05' && magic !== 'RISCV') {
    throw new BootImageError('kernel is not a RISC-V Linux Image (no "RSC\\x05" magic at offset 56)');
  }
}

function checkInitrd(initrd: Uint8Array): void {
  const m = ascii(initrd, 0, 6);
  const gzip = initrd[0] === 0x1f && initrd[1] === 0x8b;
  if (m !== '070701' && m !== '070702' && !gzip) {
    throw new BootImageError('initrd is neither a newc cpio archive ("070701") nor gzip-compressed');
  }
}

export function layoutBootImages(
  ramBase: number,
  ramSize: number,
  images: { firmware: Uint8Array; kernel: Uint8Array; initrd?: Uint8Array },
  fdtSize: number,
): BootLayout {
  const ramEnd = ramBase + ramSize;
  const { placed: firmware, entry: firmwareEntry } = placeFirmware(images.firmware, ramBase);
  if (firmware.addr < ramBase || firmware.addr + firmware.bytes.length > ramEnd) {
    throw new BootImageError(`firmware (${firmware.bytes.length} bytes at 0x${firmware.addr.toString(16)}) does not fit in RAM`);
  }
  checkKernel(images.kernel);
  const kernelEntry = alignUp(firmware.addr + firmware.bytes.length, 2 * MiB);
  if (kernelEntry + images.kernel.length > ramEnd) {
    throw new BootImageError(`kernel (${images.kernel.length} bytes) does not fit in ${ramSize / MiB} MiB of RAM`);
  }
  const fdtAddr = alignDown(ramEnd - fdtSize, 2 * MiB);
  let initrd: Placed | undefined;
  if (images.initrd) {
    checkInitrd(images.initrd);
    const start = kernelEntry + Math.min(ramSize / 2, 128 * MiB);
    if (start + images.initrd.length > fdtAddr || start < kernelEntry + images.kernel.length) {
      throw new BootImageError(`initrd (${images.initrd.length} bytes) does not fit in ${ramSize / MiB} MiB of RAM`);
    }
    initrd = { addr: start, bytes: images.initrd };
  }
  return { firmware, firmwareEntry, kernel: { addr: kernelEntry, bytes: images.kernel }, kernelEntry, initrd, fdtAddr };
}

/** A device tree blob must start with the FDT magic and fit its slot. */
export function checkFdt(fdt: Uint8Array, maxSize: number): void {
  const magic = new DataView(fdt.buffer, fdt.byteOffset, fdt.byteLength).getUint32(0, false);
  if (magic !== FDT_MAGIC) throw new BootImageError('device tree blob has no FDT magic');
  if (fdt.length > maxSize) throw new BootImageError(`device tree is ${fdt.length} bytes, more than the ${maxSize} reserved`);
}
