/** Small formatting helpers for the panels. */

/** `0x10000000`: an address as 8 hex digits (more when needed). */
export function hexAddr(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/** `0x3f`: a register value in hex, at least `digits` wide. */
export function hexByte(n: number, digits = 2): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

/** `3.1 MiB` */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${UNITS[u]}`;
}

/** `1,234.5` MIPS with one decimal below 100. */
export function formatMips(mips: number): string {
  return mips >= 100 ? Math.round(mips).toString() : mips.toFixed(1);
}

/** Splits 16 hex digits as `ffffffff_80001234` for reading. */
export function splitHex64(hex: string): string {
  return hex.length === 16 ? `${hex.slice(0, 8)}_${hex.slice(8)}` : hex;
}
