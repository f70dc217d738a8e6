/**
 * The CLINT's state description: msip and mtimecmp per hart and the mtime offset. The MSIP
 * and MTIP lines and the numeric compare cache are derived (`afterLoad`).
 *
 * `mtimecmp` is a BigUint64Array, which the field kinds have no array type for: it is sent as
 * a nested struct whose fields are the array's indices ("0", "1", ...), each a u64 (as QEMU's
 * VMSTATE_UINT64_ARRAY, plus the struct end marker). `mtimeOffset` is a JS number that can be
 * negative (the guest wrote mtime below the board clock), so it travels as a float64 and must
 * load as a safe integer.
 */
import { describe, type Description } from '../../vmstate/index.ts';
import type { ClintState } from './state.ts';

const cache = new Map<number, Description<ClintState>>();

function mtimecmpDescription(harts: number): Description<BigUint64Array> {
  return describe<Record<string, bigint>>({
    name: 'clint/mtimecmp',
    version: 1,
    fields: (f) => Array.from({ length: harts }, (_, h) => f.u64(String(h))),
  }) as unknown as Description<BigUint64Array>;
}

/** The description for a CLINT of `harts` harts (the machine configuration fixes the count). */
export function clintDescription(harts: number): Description<ClintState> {
  let d = cache.get(harts);
  if (d === undefined) {
    const mtimecmp = mtimecmpDescription(harts);
    d = describe<ClintState>({
      name: 'clint',
      version: 1,
      fields: (f) => [f.bytes('msip'), f.struct('mtimecmp', mtimecmp), f.f64('mtimeOffset')],
      postLoad: (s) => {
        const h = s.msip.findIndex((b) => b > 1);
        if (h >= 0) return { field: `msip[${h}]`, message: `msip ${s.msip[h]} is not 0 or 1` };
        if (!Number.isSafeInteger(s.mtimeOffset)) return { field: 'mtimeOffset', message: `${s.mtimeOffset} is not a safe integer` };
        return undefined;
      },
    });
    cache.set(harts, d);
  }
  return d;
}
