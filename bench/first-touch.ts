/**
 * What a destination pays before any protocol work: the first write to each page of a freshly
 * allocated ArrayBuffer is a page fault in which the kernel maps and zeroes the page. On the
 * development machine that measured ~6 µs a page against ~1 µs to copy into a page already
 * touched, which for an idle 256 MiB guest (~3100 nonzero pages) is several times the ideal
 * transfer time `nonzero RAM / bandwidth` the migration targets compare against. QEMU's
 * answer is -mem-prealloc (fault all guest RAM in at start-up); a browser tab waiting for a
 * VM would pay 256 MiB resident and ~0.4 s for it.
 */
import { median } from './stats.ts';

const PAGE = 4096;

/** Median ms to copy `pages` pages, spread out, into fresh memory and into the same memory again. */
export function firstTouchMs(pages: number, ramBytes: number, runs = 5): { fresh: number; warm: number } {
  const src = new Uint8Array(PAGE).map((_, i) => (i * 7 + 1) & 0xff);
  const stride = Math.max(1, Math.floor(ramBytes / PAGE / pages));
  const fresh: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < runs; r++) {
    const ram = new Uint8Array(ramBytes);
    for (const times of [fresh, warm]) {
      const t0 = performance.now();
      for (let p = 0; p < pages; p++) ram.set(src, p * stride * PAGE);
      times.push(performance.now() - t0);
    }
  }
  return { fresh: median(fresh), warm: median(warm) };
}

/** Pages of `ram` holding any nonzero byte. */
export function nonzeroPages(ram: Uint8Array): number {
  return nonzeroPageNumbers(ram).length;
}

/** The numbers of the pages of `ram` holding any nonzero byte, in order. */
export function nonzeroPageNumbers(ram: Uint8Array): number[] {
  const words = new Int32Array(ram.buffer, ram.byteOffset, ram.byteLength >>> 2);
  const pages: number[] = [];
  for (let p = 0; p < words.length; p += PAGE / 4) {
    for (let i = p; i < p + PAGE / 4; i++) {
      if (words[i] !== 0) {
        pages.push(p / (PAGE / 4));
        break;
      }
    }
  }
  return pages;
}
