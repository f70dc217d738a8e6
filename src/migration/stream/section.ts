/** What the machine hands to the stream for each device: QEMU's SaveStateEntry, minus the callbacks. */
import type { Description } from '../../vmstate/index.ts';

export interface DeviceSection {
  /** Section idstr, e.g. "uart16550" or "hart". */
  readonly id: string;
  readonly instanceId: number;
  readonly description: Description<unknown>;
  readonly state: unknown;
}

/** Typed constructor for a list entry: checks that the description fits the state. */
export function deviceSection<S>(id: string, instanceId: number, description: Description<S>, state: S): DeviceSection {
  return { id, instanceId, description: description as Description<unknown>, state };
}

export function sectionKey(id: string, instanceId: number): string {
  return `${id}\u0000${instanceId}`;
}
