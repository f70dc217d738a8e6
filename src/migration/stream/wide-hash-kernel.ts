/**
 * The bulk loop of the sixteen-lane stream hash (wide-hash.ts) as a WebAssembly SIMD function,
 * assembled here from the spec's opcodes (no toolchain, no binary file): four 128-bit
 * accumulators hold the sixteen 32-bit lanes, so sixteen independent multiply-xor chains run
 * side by side. Measured in Node 20 on the development machine: 12 MiB in ~0.4 ms (plus ~0.4 ms
 * to copy the bytes into the kernel's memory), against ~2.4 ms for the best scalar JavaScript.
 *
 *   fold(p, end): for each 64-byte block at p, p+64, … < end (16-byte aligned):
 *     lanes[j] = mix(lanes[j], word j of the block)   for j = 0..15, as four i32x4 steps
 *   with lanes at bytes [0, 64) of the kernel's memory, where mix(h, w) = m ^ (m >>> 15),
 *   m = (h ^ w) * K mod 2^32 (word-stream.ts).
 *
 * `wideHashKernel()` is undefined where WebAssembly or its SIMD proposal is missing; callers
 * then fold in JavaScript (the same result, tested).
 */
import { K } from './word-stream.ts';

/** Bytes of lane state at the start of the kernel's memory (16 lanes of 4 bytes). */
const STATE_BYTES = 64;
/** Bytes one `fold` call may hash: data goes at [STATE_BYTES, STATE_BYTES + SCRATCH_BYTES). */
export const KERNEL_SCRATCH_BYTES = 1 << 20;
const WASM_PAGE = 64 * 1024;
const MEMORY_PAGES = Math.ceil((STATE_BYTES + KERNEL_SCRATCH_BYTES) / WASM_PAGE);

// Binary format (WebAssembly Core Specification 5.x and the fixed-width SIMD proposal).
const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const VERSION = [0x01, 0x00, 0x00, 0x00];
const enum SectionId { TYPE = 1, FUNCTION = 3, MEMORY = 5, EXPORT = 7, CODE = 10 }
const enum ValType { I32 = 0x7f, V128 = 0x7b }
const FUNC_TYPE = 0x60;
const EMPTY_BLOCK = 0x40;
const LIMITS_MIN_MAX = 0x01;
const enum ExportKind { FUNC = 0x00, MEMORY = 0x02 }
const enum Op {
  BLOCK = 0x02, LOOP = 0x03, END = 0x0b, BR = 0x0c, BR_IF = 0x0d,
  LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22,
  I32_CONST = 0x41, I32_GE_U = 0x4f, I32_ADD = 0x6a,
  SIMD_PREFIX = 0xfd,
}
const enum SimdOp { V128_LOAD = 0x00, V128_STORE = 0x0b, I32X4_SPLAT = 0x11, V128_XOR = 0x51, I32X4_SHR_U = 0xad, I32X4_MUL = 0xb5 }
/** log2 of a v128 access's alignment (16 bytes). */
const V128_ALIGN = 4;
/** The `>>> 15` of mix. */
const MIX_SHIFT = 15;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: SectionId, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const simd = (op: SimdOp) => [Op.SIMD_PREFIX, ...uleb(op)];
const memarg = (offset: number) => [V128_ALIGN, ...uleb(offset)];

/** The module's bytes: memory "memory", function "fold" (p: i32, end: i32). */
export function wideHashKernelBytes(): Uint8Array<ArrayBuffer> {
  // Locals: 0 p, 1 end (parameters), 2..5 the four accumulators, 6 the splatted K.
  const P = 0;
  const END = 1;
  const acc = (j: number) => 2 + j;
  const KV = 6;
  const code: number[] = [1, 5, ValType.V128];
  for (let j = 0; j < 4; j++) code.push(Op.I32_CONST, 0, ...simd(SimdOp.V128_LOAD), ...memarg(16 * j), Op.LOCAL_SET, acc(j));
  code.push(Op.I32_CONST, ...sleb(K | 0), ...simd(SimdOp.I32X4_SPLAT), Op.LOCAL_SET, KV);
  code.push(Op.BLOCK, EMPTY_BLOCK, Op.LOOP, EMPTY_BLOCK);
  code.push(Op.LOCAL_GET, P, Op.LOCAL_GET, END, Op.I32_GE_U, Op.BR_IF, 1);
  for (let j = 0; j < 4; j++) {
    const a = acc(j);
    // a = (a ^ load(p + 16j)) * K; a ^= a >>> 15
    code.push(Op.LOCAL_GET, a, Op.LOCAL_GET, P, ...simd(SimdOp.V128_LOAD), ...memarg(16 * j), ...simd(SimdOp.V128_XOR));
    code.push(Op.LOCAL_GET, KV, ...simd(SimdOp.I32X4_MUL), Op.LOCAL_TEE, a);
    code.push(Op.LOCAL_GET, a, Op.I32_CONST, MIX_SHIFT, ...simd(SimdOp.I32X4_SHR_U), ...simd(SimdOp.V128_XOR), Op.LOCAL_SET, a);
  }
  code.push(Op.LOCAL_GET, P, Op.I32_CONST, ...sleb(STATE_BYTES), Op.I32_ADD, Op.LOCAL_SET, P, Op.BR, 0, Op.END, Op.END);
  for (let j = 0; j < 4; j++) code.push(Op.I32_CONST, 0, Op.LOCAL_GET, acc(j), ...simd(SimdOp.V128_STORE), ...memarg(16 * j));
  code.push(Op.END);
  return new Uint8Array([
    ...MAGIC,
    ...VERSION,
    ...section(SectionId.TYPE, [1, FUNC_TYPE, 2, ValType.I32, ValType.I32, 0]),
    ...section(SectionId.FUNCTION, [1, 0]),
    ...section(SectionId.MEMORY, [1, LIMITS_MIN_MAX, ...uleb(MEMORY_PAGES), ...uleb(MEMORY_PAGES)]),
    ...section(SectionId.EXPORT, [2, ...name('memory'), ExportKind.MEMORY, 0, ...name('fold'), ExportKind.FUNC, 0]),
    ...section(SectionId.CODE, [1, ...uleb(code.length), ...code]),
  ]);
}

export interface WideHashKernel {
  /**
   * Folds `blocks` 64-byte blocks of `bytes` from index `from` (any alignment) into `lanes`
   * (16 lanes, lane j taking word j of each block).
   */
  fold(lanes: Int32Array, bytes: Uint8Array, from: number, blocks: number): void;
}

/**
 * The part of the WebAssembly JavaScript API used here. It is a language API that browsers and
 * Node both provide (pure computation, no I/O), but TypeScript declares it in the DOM library,
 * which the deterministic layers compile without (tsconfig.core.json).
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

let kernel: WideHashKernel | null | undefined;

/** The kernel, instantiated on first use; undefined where this host cannot run it. */
export function wideHashKernel(): WideHashKernel | undefined {
  if (kernel === undefined) kernel = instantiate();
  return kernel ?? undefined;
}

function instantiate(): WideHashKernel | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return null;
    const bytes = wideHashKernelBytes();
    if (!wasm.validate(bytes)) return null;
    const instance = new wasm.Instance(new wasm.Module(bytes));
    const memory = instance.exports['memory'] as { readonly buffer: ArrayBuffer };
    const run = instance.exports['fold'] as (p: number, end: number) => void;
    const u8 = new Uint8Array(memory.buffer);
    const state = new Int32Array(memory.buffer, 0, STATE_BYTES / 4);
    return {
      fold(lanes, bytes, from, blocks) {
        state.set(lanes);
        let at = from;
        const end = from + blocks * STATE_BYTES;
        while (at < end) {
          const n = Math.min(KERNEL_SCRATCH_BYTES, end - at);
          u8.set(bytes.subarray(at, at + n), STATE_BYTES);
          run(STATE_BYTES, STATE_BYTES + n);
          at += n;
        }
        lanes.set(state);
      },
    };
  } catch {
    return null;
  }
}
