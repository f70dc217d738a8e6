/**
 * The hart's state description: every architectural register of `HartState` — x and f
 * registers, pc, privilege level, the 32-bit CSRs, fflags/frm, the retired-instruction count,
 * the WFI flag and the 64-bit CSR slots (see `Slot`). Not on the wire (STYLE principle 3):
 * TLBs, the LR/SC reservation and the views, which `Hart.rebind()` rebuilds after a load.
 *
 * Fields kept as int32 in the state travel as int32, so a loaded state is bit-for-bit the
 * state that was saved (the interpreter compares these values with ===).
 */
import { describe, type FieldError } from '../../vmstate/index.ts';
import { PRIV } from '../isa/causes.ts';
import type { HartState } from './hart-state.ts';

const FFLAGS_MASK = 0x1f;
const FRM_MASK = 0x7;
/** The reserved privilege encoding (privileged spec 1.2: 2 is reserved). */
const PRIV_RESERVED = 2;

function checkHart(s: HartState): FieldError | undefined {
  if (s.priv > PRIV.M || s.priv === PRIV_RESERVED) return { field: 'priv', message: `privilege level ${s.priv} is reserved` };
  if (s.x[0] !== 0 || s.x[1] !== 0) return { field: 'x', message: 'x0 is not zero' };
  if (s.fflags & ~FFLAGS_MASK) return { field: 'fflags', message: `fflags 0x${s.fflags.toString(16)} has bits above 4` };
  if (s.frm & ~FRM_MASK) return { field: 'frm', message: `frm ${s.frm} does not fit 3 bits` };
  if (s.pcLo & 1) return { field: 'pcLo', message: 'pc is odd (IALIGN is 16 with C)' };
  return undefined;
}

export const hartDescription = describe<HartState>({
  name: 'hart',
  version: 1,
  fields: (f) => [
    f.pairs64('x'),
    f.pairs64('f'),
    f.i32('pcLo'),
    f.i32('pcHi'),
    f.u8('priv'),
    f.i32('mstatus'),
    f.i32('medeleg'),
    f.i32('mideleg'),
    f.i32('mie'),
    f.i32('mipSw'),
    f.i32('mcounteren'),
    f.i32('scounteren'),
    f.i32('mcountinhibit'),
    f.u8('fflags'),
    f.u8('frm'),
    f.u64n('instret'),
    f.bool('wfi'),
    f.pairs64('csr'),
  ],
  postLoad: checkHart,
});
