/**
 * The test finisher has no state; its section is present anyway (zero fields), so every
 * device of the board has exactly one section and a future field can arrive as a subsection.
 */
import { describe } from '../../vmstate/index.ts';
import type { SysconState } from './state.ts';

export const sysconDescription = describe<SysconState>({ name: 'syscon', version: 1, fields: () => [] });
