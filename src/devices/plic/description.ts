/**
 * The PLIC's state description: priorities, the gateway bits (pending, in service, input
 * levels), per-context enables and thresholds. The context output lines are derived
 * (`afterLoad`). Priorities and thresholds above the implemented 3 bits, and any bit for the
 * non-existent source 0, are refused.
 */
import { describe, type FieldError } from '../../vmstate/index.ts';
import { PLIC_PRIORITY_MASK } from './regs.ts';
import type { PlicState } from './state.ts';

const SOURCE_0 = 1;

function checkPlic(s: PlicState): FieldError | undefined {
  for (let i = 0; i < s.priority.length; i++) {
    if (s.priority[i]! > PLIC_PRIORITY_MASK)
      return { field: `priority[${i}]`, message: `priority ${s.priority[i]} > ${PLIC_PRIORITY_MASK}` };
  }
  if (s.priority[0] !== 0) return { field: 'priority[0]', message: 'source 0 does not exist' };
  for (let c = 0; c < s.threshold.length; c++) {
    if (s.threshold[c]! > PLIC_PRIORITY_MASK)
      return { field: `threshold[${c}]`, message: `threshold ${s.threshold[c]} > ${PLIC_PRIORITY_MASK}` };
  }
  for (const key of ['pending', 'inService', 'level'] as const) {
    if (s[key][0]! & SOURCE_0) return { field: key, message: 'bit set for source 0, which does not exist' };
  }
  return undefined;
}

export const plicDescription = describe<PlicState>({
  name: 'plic',
  version: 1,
  fields: (f) => [
    f.bytes('priority'),
    f.u32s('pending'),
    f.u32s('inService'),
    f.u32s('level'),
    f.u32s('enable'),
    f.bytes('threshold'),
  ],
  postLoad: checkPlic,
});
