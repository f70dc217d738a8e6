/**
 * The test finisher keeps no guest-visible state: every write acts at once and reads are 0.
 * The empty State keeps the device folder shape uniform (and describes as zero fields).
 */
export type SysconState = Record<string, never>;

export function createSysconState(): SysconState {
  return {};
}

export function resetSyscon(_s: SysconState): void {}
