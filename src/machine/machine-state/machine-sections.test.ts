/**
 * Nothing guest-visible escapes the snapshot: every device (any object the machine holds
 * that has a `state`) and every key of every state object must be covered by a section's
 * description. Adding a device to VirtMachine, or a field to a State, without describing it
 * fails here.
 */
import { describe, expect, it } from 'vitest';
import type { Description, Field } from '../../vmstate/index.ts';
import { snapshotMachine } from '../testing/snapshot-machine.ts';
import { machineStateList } from './machine-sections.ts';
import { BoardView } from './board-description.ts';

/** Keys a description puts on the wire for its state (fields and subsections' fields). */
function describedKeys(d: Description<unknown>): Set<string> {
  const keys = new Set<string>();
  const walk = (x: Description<unknown>) => {
    x.fields.forEach((f: Field<unknown>) => f.kind !== 'unused' && keys.add(f.key));
    x.subsections.forEach((s) => walk(s.description));
  };
  walk(d);
  return keys;
}

/** BoardState keys and the board section fields that carry them (lengths and ring starts travel with their buffers). */
const BOARD_KEYS: Record<string, string> = {
  clock: 'ticks',
  power: 'power',
  exitCode: 'exitCode',
  consoleIn: 'consoleIn',
  consoleInLength: 'consoleIn',
  consoleOut: 'consoleOut',
  consoleOutStart: 'consoleOut',
  consoleOutLength: 'consoleOut',
};

describe('machine sections', () => {
  const { machine } = snapshotMachine();
  const { sections } = machineStateList(machine);

  it('every device object of the machine has its state in a section', () => {
    const states = new Set(sections.map((s) => s.state));
    const devices: [string, unknown][] = [];
    for (const [key, value] of Object.entries(machine)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'object' && v !== null && 'state' in v) devices.push([key, (v as { state: unknown }).state]);
      }
    }
    expect(devices.map(([k]) => k)).toEqual(expect.arrayContaining(['hart', 'uart', 'plic', 'clint', 'rtc', 'syscon', 'virtio', 'blk', 'rng', 'net']));
    for (const [key, state] of devices) {
      // The clock's state is the board's clock (covered by the board section).
      if (state === machine.board.clock) continue;
      expect(states.has(state), `${key}.state has no section`).toBe(true);
    }
    const board = sections.find((s) => s.id === 'board')!.state;
    expect(board instanceof BoardView && board.board === machine.board).toBe(true);
    expect(sections.some((s) => s.id === 'disk-overlay')).toBe(true);
  });

  it('every key of every state object is a described field', () => {
    for (const s of sections) {
      if (s.id === 'board' || s.id === 'disk-overlay') continue;
      const keys = describedKeys(s.description);
      for (const k of Object.keys(s.state as object)) expect(keys.has(k), `${s.id}.${k} is not described`).toBe(true);
    }
  });

  it('every key of the board state is carried by a board field', () => {
    const board = sections.find((s) => s.id === 'board')!;
    const fields = describedKeys(board.description);
    expect(Object.keys(machine.board).sort()).toEqual(Object.keys(BOARD_KEYS).sort());
    for (const f of Object.values(BOARD_KEYS)) expect(fields.has(f)).toBe(true);
  });

  it('section ids and instances are unique', () => {
    const keys = sections.map((s) => `${s.id}#${s.instanceId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
