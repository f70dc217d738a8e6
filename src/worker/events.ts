/**
 * What a VM worker tells its page, unasked. Plain structured-clonable values; console bytes
 * travel in a buffer of their own that is transferred, not copied.
 */
import type { MigrationEvent } from '../migration/stats.ts';
import type { RunState } from './inspect-types.ts';

export interface ProgressEvent {
  type: 'progress';
  /** Image bytes received so far and expected in all. */
  loaded: number;
  total: number;
}

export interface StateEvent {
  type: 'state';
  runState: RunState;
  /** Why the VM stopped, when runState is 'error'. */
  error?: string;
}

export interface OutputEvent {
  type: 'output';
  /** Console bytes (UTF-8 from the guest's point of view; may split a character). */
  bytes: Uint8Array;
}

/** An outgoing migration's progress: status changes and every finished pre-copy iteration. */
export interface MigrationProgressEvent {
  type: 'migration';
  event: MigrationEvent;
}

export type VmEvent = ProgressEvent | StateEvent | OutputEvent | MigrationProgressEvent;

/** Sends an event; `transfer` lists buffers the receiver takes over. */
export type Emit = (event: VmEvent, transfer?: Transferable[]) => void;
