import { describe, expect, it } from 'vitest';
import { BootImageError, checkFdt, layoutBootImages } from './boot-images.ts';
import { MiB } from './config.ts';
import { ElfError } from './elf.ts';

const RAM = 0x8000_0000;

/** A minimal RISC-V Linux Image: 64-byte header with the "RSC\x05" magic at offset 56. */
function image(size = 4096): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x52, 0x53, 0x43, 0x05], 56);
  return b;
}
const cpio = () => new TextEncoder().encode('070701' + '0'.repeat(200));
const firmware = () => new Uint8Array(115_328);

describe('boot image checks and layout', () => {
  it('places firmware, kernel, initrd and device tree as QEMU virt does', () => {
    const l = layoutBootImages(RAM, 256 * MiB, { firmware: firmware(), kernel: image(), initrd: cpio() }, 64 * 1024);
    expect(l.firmwareEntry).toBe(RAM);
    expect(l.kernelEntry).toBe(RAM + 2 * MiB); // first 2 MiB boundary after the firmware
    expect(l.initrd!.addr).toBe(RAM + 2 * MiB + 128 * MiB); // kernel + min(RAM/2, 128 MiB)
    expect(l.fdtAddr).toBe(RAM + 256 * MiB - 2 * MiB); // top of RAM, 2 MiB aligned down
  });

  it('refuses a kernel that is not a RISC-V Image, with a reason', () => {
    expect(() => layoutBootImages(RAM, 256 * MiB, { firmware: firmware(), kernel: new Uint8Array(4096) }, 4096)).toThrow(
      /not a RISC-V Linux Image/,
    );
    expect(() => layoutBootImages(RAM, 256 * MiB, { firmware: firmware(), kernel: new Uint8Array(10) }, 4096)).toThrow(BootImageError);
    const elf = image();
    elf.set([0x7f, 0x45, 0x4c, 0x46]);
    expect(() => layoutBootImages(RAM, 256 * MiB, { firmware: firmware(), kernel: elf }, 4096)).toThrow(/vmlinux/);
  });

  it('refuses images that do not fit in RAM', () => {
    expect(() => layoutBootImages(RAM, 16 * MiB, { firmware: firmware(), kernel: image(20 * MiB) }, 4096)).toThrow(/does not fit/);
    expect(() => layoutBootImages(RAM, 16 * MiB, { firmware: firmware(), kernel: image(), initrd: cpio() }, 16 * MiB)).toThrow(
      /initrd .* does not fit/,
    );
  });

  it('refuses an initrd that is neither cpio nor gzip, and empty firmware', () => {
    expect(() => layoutBootImages(RAM, 256 * MiB, { firmware: firmware(), kernel: image(), initrd: new Uint8Array(100) }, 4096)).toThrow(
      /neither a newc cpio/,
    );
    expect(() => layoutBootImages(RAM, 256 * MiB, { firmware: new Uint8Array(0), kernel: image() }, 4096)).toThrow(/firmware image is empty/);
  });

  it('reports a malformed firmware ELF as an ElfError', () => {
    const bad = new Uint8Array(64);
    bad.set([0x7f, 0x45, 0x4c, 0x46, 1, 1]); // 32-bit
    expect(() => layoutBootImages(RAM, 256 * MiB, { firmware: bad, kernel: image() }, 4096)).toThrow(ElfError);
  });

  it('checks a device tree blob', () => {
    expect(() => checkFdt(new Uint8Array(64), 4096)).toThrow(/no FDT magic/);
    const fdt = new Uint8Array(8192);
    fdt.set([0xd0, 0x0d, 0xfe, 0xed]);
    expect(() => checkFdt(fdt, 4096)).toThrow(/more than the 4096 reserved/);
    expect(() => checkFdt(fdt, 8192)).not.toThrow();
  });
});
