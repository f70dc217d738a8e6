/**
 * The board's own state as a section: the virtual clock, power state and exit code, the
 * console input the UART has not taken yet, and the console history (so a UI can show the
 * terminal after a restore).
 *
 * `BoardState` keeps the power state as a string and both console buffers with capacity
 * bookkeeping, so the section's state is a view over it: getters read the board, setters write
 * it. The buffers are resized through the board's own bookkeeping (a length inside the fixed
 * capacity), never replaced and never aliased to incoming bytes.
 */
import { describe } from '../../vmstate/index.ts';
import type { BoardState, PowerState } from '../virt-machine.ts';

/** Wire codes of `PowerState`. */
export const POWER_CODES: readonly PowerState[] = ['on', 'off', 'reset-requested'];

export class BoardView {
  /** The power code as loaded; `postLoad` checks it before it becomes `board.power`. */
  private loadedPower = 0;

  constructor(readonly board: BoardState) {}

  get ticks(): number {
    return this.board.clock.ticks;
  }
  set ticks(v: number) {
    this.board.clock.ticks = v;
  }
  get instret(): number {
    return this.board.clock.instret;
  }
  set instret(v: number) {
    this.board.clock.instret = v;
  }
  get power(): number {
    return POWER_CODES.indexOf(this.board.power);
  }
  set power(v: number) {
    this.loadedPower = v;
  }
  get exitCode(): number {
    return this.board.exitCode;
  }
  set exitCode(v: number) {
    this.board.exitCode = v;
  }

  /** The pending input: a view of the first `consoleInLength` bytes of the fixed buffer. */
  get consoleIn(): Uint8Array {
    return this.board.consoleIn.subarray(0, this.board.consoleInLength);
  }
  set consoleIn(_v: Uint8Array) {
    throw new Error('board.consoleIn is resized through resizeConsoleIn');
  }

  resizeConsoleIn(n: number): void {
    if (n <= this.board.consoleIn.length) this.board.consoleInLength = n;
  }

  /** The history, oldest byte first: a view when the ring does not wrap (always after a load), else a copy. */
  get consoleOut(): Uint8Array {
    const b = this.board;
    const cap = b.consoleOut.length;
    if (b.consoleOutStart + b.consoleOutLength <= cap) return b.consoleOut.subarray(b.consoleOutStart, b.consoleOutStart + b.consoleOutLength);
    const out = new Uint8Array(b.consoleOutLength);
    const first = cap - b.consoleOutStart;
    out.set(b.consoleOut.subarray(b.consoleOutStart));
    out.set(b.consoleOut.subarray(0, b.consoleOutLength - first), first);
    return out;
  }
  set consoleOut(_v: Uint8Array) {
    throw new Error('board.consoleOut is resized through resizeConsoleOut');
  }

  resizeConsoleOut(n: number): void {
    if (n > this.board.consoleOut.length) return;
    this.board.consoleOutStart = 0;
    this.board.consoleOutLength = n;
  }

  /** The power code as it came from the stream. */
  get loadedPowerCode(): number {
    return this.loadedPower;
  }

  /** After loading: the checked power code becomes the board's power state. */
  applyPower(): boolean {
    const p = POWER_CODES[this.loadedPower];
    if (p === undefined) return false;
    this.board.power = p;
    return true;
  }
}

/** Section "board". `consoleInCapacity`/`historyCapacity` bound the buffers (this machine's capacities). */
export function boardDescription(consoleInCapacity: number, historyCapacity: number) {
  return describe<BoardView>({
    name: 'board',
    version: 1,
    fields: (f) => [
      f.u64n('ticks'),
      f.u64n('instret'),
      f.u8('power'),
      f.u32('exitCode'),
      f.varBytes('consoleIn', { max: consoleInCapacity, resize: (v, n) => v.resizeConsoleIn(n) }),
      f.varBytes('consoleOut', { max: historyCapacity, resize: (v, n) => v.resizeConsoleOut(n) }),
    ],
    postLoad: (v) => (v.applyPower() ? undefined : { field: 'power', message: `power code ${v.loadedPowerCode} is not one of ${POWER_CODES.join(', ')}` }),
  });
}
