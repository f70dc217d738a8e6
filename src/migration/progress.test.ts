import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DestinationSession } from './destination.ts';
import { decodeMessage, encodeProgress, MessageKind } from './protocol.ts';
import { countUnion } from '../lib/page-map.ts';
import { SourceSession } from './source.ts';
import { toyHost, toyVm } from './testing/toy-vm.ts';

describe('PROGRESS and draining before the switch-over', () => {
  it('PROGRESS round-trips any count below 2^53 and refuses other payloads', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(decodeMessage(encodeProgress(n))).toEqual({ kind: MessageKind.PROGRESS, loaded: n });
      }),
    );
    expect(decodeMessage(Uint8Array.of(MessageKind.PROGRESS, 0, 0, 0, 1))).toMatch(/PROGRESS with 4 payload bytes/);
    expect(decodeMessage(Uint8Array.of(MessageKind.PROGRESS, 0, 0x20, 0, 0, 0, 0, 0, 0))).toMatch(/beyond 2\^53/);
  });

  /** Source and destination back to back; PROGRESS to the source is held back while `hold` is true. */
  function pair() {
    const vm = toyVm(64);
    const src = new SourceSession(vm, { batchBytes: 1 << 20 });
    const dst = new DestinationSession(toyHost());
    const held: Uint8Array[] = [];
    const state = { hold: false };
    const pump = () => {
      for (let moved = true; moved; ) {
        moved = false;
        for (const m of src.takeOutgoing()) {
          moved = true;
          dst.receive(m, 0);
        }
        for (const m of dst.takeOutgoing()) {
          moved = true;
          if (state.hold && m[0] === MessageKind.PROGRESS) held.push(m);
          else src.receive(m, 0);
        }
      }
    };
    return { vm, src, dst, held, state, pump };
  }

  it('waits, guest running, until the destination has loaded every byte sent, then switches over', () => {
    const { src, dst, held, state, pump } = pair();
    src.start(0);
    pump();
    expect(src.status).toBe('active');
    state.hold = true;
    src.step(1); // the whole RAM in one batch
    src.step(1.5); // the next call ends the iteration: the rest fits, so it drains first
    pump();
    expect(held.length).toBeGreaterThan(0);
    expect(src.status).toBe('active');
    expect(src.wantsStep).toBe(false);
    expect(src.guestMayRun).toBe(true);
    // A PROGRESS that does not cover everything keeps it waiting.
    src.receive(held[0]!, 2);
    expect(src.wantsStep).toBe(held.length === 1);
    for (const m of held.slice(1)) src.receive(m, 3);
    expect(src.wantsStep).toBe(true);
    state.hold = false;
    src.step(4);
    expect(src.status).toBe('device');
    pump();
    expect(src.status).toBe('completed');
    expect(dst.status).toBe('running');
  });

  it('gives up when no PROGRESS comes within the reply timeout (the VM stays with the source)', () => {
    const { vm, src, state, pump } = pair();
    src.start(0);
    pump();
    state.hold = true;
    src.step(1);
    src.step(1.5);
    pump();
    src.tick(30_002);
    expect(src.status).toBe('failed');
    expect(src.snapshot(30_002)['error-desc']).toMatch(/no PROGRESS/);
    expect(src.guestMayRun).toBe(true);
    expect(vm.released).toBe(false);
  });

  it('dates the pause after the last batch: a step that encoded pages never switches over', () => {
    const { vm, src, dst, pump } = pair();
    src.start(0);
    pump();
    vm.dirty[5] = 1; // the guest wrote a page: something remains after the first pass
    src.step(1); // encodes the whole RAM, taking (say) until t = 9
    pump();
    expect(src.status).toBe('active');
    src.step(10); // nothing left: decides now, with a fresh clock
    expect(src.status).toBe('device');
    for (const m of src.takeOutgoing()) dst.receive(m, 11);
    for (const m of dst.takeOutgoing()) src.receive(m, 12); // LOADED
    expect(src.status).toBe('completed');
    expect(src.snapshot(12).downtime).toBe(2); // from the pause at 10, not from step(1)
  });

  it('fails on a PROGRESS claiming more bytes than were sent', () => {
    const { src, pump } = pair();
    src.start(0);
    pump();
    src.receive(encodeProgress(1 << 30), 1);
    expect(src.status).toBe('failed');
    expect(src.snapshot(1)['error-desc']).toMatch(/PROGRESS of 1073741824 bytes/);
  });

  it('countUnion counts the pages dirty in the map or left in the iteration (word-wise scan = byte-wise)', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(3), fc.nat(45), fc.array(fc.nat(39), { maxLength: 12 }), fc.array(fc.nat(39), { maxLength: 12 }), (len, shift, from, da, db) => {
        const a = new Uint8Array(len + shift).subarray(shift);
        const b = new Uint8Array(len);
        for (const i of da) if (i < len) a[i] = 1;
        for (const i of db) if (i < len) b[i] = 7;
        let expected = 0;
        for (let i = 0; i < len; i++) if (a[i] !== 0 || (i >= from && b[i] !== 0)) expected++;
        expect(countUnion(a, b, from)).toBe(expected);
      }),
    );
  });
});
