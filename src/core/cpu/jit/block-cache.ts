/**
 * The hart's compiled blocks, by physical address, and what keeps them true to guest memory.
 *
 * Only hot code is compiled: the interpreter asks for a block each time control reaches a
 * block start (a jump target, the instruction after a branch or a side exit), and a start is
 * compiled once it was asked for HOT times (counted in a small hash table; a collision only
 * compiles something a little early), so code a Linux boot runs a few thousand times stays
 * interpreted.
 *
 * Coherence: a page that holds compiled code is marked in `Ram.code`, and marking it drops its
 * write-TLB entries, so every CPU store to it takes the slow path. Every writer other than the
 * fast path goes through `Ram.markDirty` (physWrite, DMA, AMOs, page-table A/D updates),
 * which drops the page's blocks and unmarks it; the store that did so may refill the TLB, but
 * the page is no longer code. Loading state (snapshot, migration) and reset rebind the hart,
 * which flushes everything.
 */
import type { Hart } from '../hart.ts';
import type { Tlb } from '../tlb.ts';
import { blockEnv, compileBlock, EMPTY, type Block, type BlockEnv } from './block.ts';

/**
 * Requests before a block start is compiled. Each compiled block is a new function that V8
 * must tier up (and often deoptimizes once when a side exit is first taken), about 0.5-1 ms
 * of compiler time per block on this machine: at 32 a Linux boot compiled 10 000 blocks and
 * took 5 s instead of 0.8; at 2048, 737 blocks and +0.6 s; at 8192, 147 blocks and +0.1-0.2 s,
 * while the CPU benchmark ran as fast as at 256 (bench/cpu.ts prints both engines). In
 * headless Chromium (`npm run bench:browser -- --loads-only`) the page-load-to-prompt median
 * was 2.6-3.0 s at 8192, 3.9 s at 1024 and 6.5 s at 256.
 */
export const HOT = 8192;
const HEAT_BITS = 16;

export class BlockCache {
  /** Per RAM page, the blocks by (offset in page) / 2; undefined for pages without code. */
  readonly pages: (Block[] | undefined)[];
  /** The next pc after a block ran (lo, hi). */
  readonly ret = new Int32Array(2);
  private readonly heat = new Uint16Array(1 << HEAT_BITS);
  private env: BlockEnv;
  private readonly code: Uint8Array;
  /** Blocks compiled since creation (for tests and benchmarks). */
  compiled = 0;

  constructor(
    private readonly h: Hart,
    private readonly rvc: Int32Array,
    private readonly hot = HOT,
  ) {
    this.code = h.bus.ram.code;
    this.pages = new Array<Block[] | undefined>(this.code.length);
    this.env = blockEnv(h, this.ret);
    h.bus.ram.onCodeWrite = (page) => this.invalidatePage(page);
  }

  /**
   * Called on a lookup miss at RAM byte offset `off`: counts the request and, once the start is
   * hot, compiles it. Returns the block (possibly EMPTY) or undefined while still cold.
   */
  miss(off: number): Block | undefined {
    const i = (off >>> 1) & ((1 << HEAT_BITS) - 1);
    const n = this.heat[i]! + 1;
    if (n < this.hot) {
      this.heat[i] = n;
      return undefined;
    }
    this.heat[i] = 0;
    const page = off >>> 12;
    const b = compileBlock(this.env, this.h.u16, this.rvc, off);
    let blocks = this.pages[page];
    if (blocks === undefined) {
      blocks = new Array<Block>(2048);
      this.pages[page] = blocks;
      if (this.code[page] === 0) {
        this.code[page] = 1;
        dropPage(this.h.wtlb, page << 12);
      }
    }
    blocks[(off & 0xfff) >>> 1] = b;
    if (b !== EMPTY) this.compiled++;
    return b;
  }

  /** Guest memory of `page` changed: its blocks are stale. */
  invalidatePage(page: number): void {
    this.pages[page] = undefined;
    this.code[page] = 0;
  }

  /** Drops every block (after a load or reset replaced memory or the hart's views). */
  flush(): void {
    this.pages.fill(undefined);
    this.code.fill(0);
    this.env = blockEnv(this.h, this.ret);
  }
}

/** Removes every write-TLB entry that maps RAM offset `off` (a page): stores must go slow. */
function dropPage(t: Tlb, off: number): void {
  const offs = t.off;
  const tags = t.tagLo;
  for (let i = 0; i < offs.length; i++) if (offs[i] === off) tags[i] = 1;
}
