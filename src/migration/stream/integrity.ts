/** The integrity section's state: CRC-32 and length of every stream byte before the section. */
import { describe } from '../../vmstate/index.ts';
import { INTEGRITY_SECTION_NAME, INTEGRITY_SECTION_VERSION } from './format.ts';

export interface IntegrityState {
  crc32: number;
  length: number;
}

export const integrityDescription = describe<IntegrityState>({
  name: INTEGRITY_SECTION_NAME,
  version: INTEGRITY_SECTION_VERSION,
  fields: (f) => [f.u32('crc32'), f.u64n('length')],
});

export function createIntegrityState(): IntegrityState {
  return { crc32: 0, length: 0 };
}
