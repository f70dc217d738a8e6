/**
 * A reader for the ELF64 little-endian RISC-V executables the board loads (firmware, kernels in
 * ELF form, conformance tests): loadable segments and the symbol table. Malformed input is host
 * input, not a guest fault: it raises an ElfError with a reason a user can act on.
 */
export class ElfError extends Error {
  override readonly name = 'ElfError';
}

export interface ElfSegment {
  /** Physical load address. */
  paddr: number;
  /** Bytes from the file (a view); `memsz - data.length` bytes of zeros follow. */
  data: Uint8Array;
  memsz: number;
}

export interface ElfImage {
  entry: number;
  segments: ElfSegment[];
  symbols: Map<string, number>;
}

const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const EM_RISCV = 243;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function parseElf(bytes: Uint8Array, what = 'image'): ElfImage {
  if (!isElf(bytes)) throw new ElfError(`${what} is not an ELF file (no \\x7fELF magic)`);
  if (bytes.length < 64) throw new ElfError(`${what}: truncated ELF header`);
  if (bytes[4] !== ELFCLASS64 || bytes[5] !== ELFDATA2LSB) throw new ElfError(`${what}: not a 64-bit little-endian ELF`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (o: number) => {
    if (o + 8 > bytes.length) throw new ElfError(`${what}: truncated ELF (offset ${o})`);
    return Number(dv.getBigUint64(o, true));
  };
  const u32 = (o: number) => {
    if (o + 4 > bytes.length) throw new ElfError(`${what}: truncated ELF (offset ${o})`);
    return dv.getUint32(o, true);
  };
  const u16 = (o: number) => {
    if (o + 2 > bytes.length) throw new ElfError(`${what}: truncated ELF (offset ${o})`);
    return dv.getUint16(o, true);
  };
  if (u16(18) !== EM_RISCV) throw new ElfError(`${what}: ELF machine ${u16(18)} is not RISC-V (${EM_RISCV})`);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (u32(p) !== PT_LOAD) continue;
    const offset = u64(p + 8);
    const paddr = u64(p + 24);
    const filesz = u64(p + 32);
    const memsz = u64(p + 40);
    if (offset + filesz > bytes.length) throw new ElfError(`${what}: segment ${i} extends past the end of the file`);
    if (filesz > memsz) throw new ElfError(`${what}: segment ${i} has filesz > memsz`);
    segments.push({ paddr, data: bytes.subarray(offset, offset + filesz), memsz });
  }

  const symbols = new Map<string, number>();
  for (let i = 0; i < shnum && shoff > 0; i++) {
    const sh = shoff + i * shentsize;
    if (u32(sh + 4) !== SHT_SYMTAB) continue;
    const symOff = u64(sh + 24);
    const symSize = u64(sh + 32);
    const link = u32(sh + 40);
    const entsize = u64(sh + 56) || 24;
    const strSh = shoff + link * shentsize;
    const strOff = u64(strSh + 24);
    const strSize = u64(strSh + 32);
    if (symOff + symSize > bytes.length || strOff + strSize > bytes.length) throw new ElfError(`${what}: symbol table out of range`);
    for (let o = symOff; o + entsize <= symOff + symSize; o += entsize) {
      const nameOff = u32(o);
      if (nameOff === 0 || nameOff >= strSize) continue;
      let end = strOff + nameOff;
      while (end < strOff + strSize && bytes[end] !== 0) end++;
      const name = String.fromCharCode(...bytes.subarray(strOff + nameOff, end)); // symbol names are ASCII
      symbols.set(name, u64(o + 8));
    }
  }
  return { entry, segments, symbols };
}
