import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlicState, Plic, PLIC_NUM_SOURCES, PlicReg, resetPlic } from './index.ts';

const M = 0;
const S = 1;
const UART_IRQ = 10;
const RTC_IRQ = 11;

function setup(harts = 1) {
  const lines = Array.from({ length: harts * 2 }, () => ({ level: false, set(l: boolean) { this.level = l; } }));
  const plic = new Plic(createPlicState(harts), lines);
  const rd = (off: number) => plic.read(off, 4);
  const wr = (off: number, v: number) => plic.write(off, 4, v);
  const prio = (src: number, p: number) => wr(PlicReg.PRIORITY_BASE + 4 * src, p);
  const enable = (ctx: number, src: number) => {
    const off = PlicReg.ENABLE_BASE + PlicReg.ENABLE_STRIDE * ctx + 4 * (src >>> 5);
    wr(off, rd(off) | (1 << (src & 31)));
  };
  const ctxReg = (ctx: number, reg: number) => PlicReg.CONTEXT_BASE + PlicReg.CONTEXT_STRIDE * ctx + reg;
  const claim = (ctx: number) => rd(ctxReg(ctx, PlicReg.CONTEXT_CLAIM));
  const complete = (ctx: number, id: number) => wr(ctxReg(ctx, PlicReg.CONTEXT_CLAIM), id);
  const threshold = (ctx: number, t: number) => wr(ctxReg(ctx, PlicReg.CONTEXT_THRESHOLD), t);
  return { plic, lines, rd, wr, prio, enable, claim, complete, threshold, ctxReg };
}

describe('Plic', () => {
  it('priorities are WARL 0..7 and source 0 is hardwired to 0', () => {
    const { rd, prio } = setup();
    prio(UART_IRQ, 0xff);
    expect(rd(4 * UART_IRQ)).toBe(7);
    prio(0, 5);
    expect(rd(0)).toBe(0);
  });

  it('raises the S-context line only for an enabled source above threshold', () => {
    const { plic, lines, prio, enable, threshold } = setup();
    plic.setSourceLevel(UART_IRQ, true);
    expect(lines[S]!.level).toBe(false); // not enabled, priority 0
    enable(S, UART_IRQ);
    expect(lines[S]!.level).toBe(false); // priority 0 never interrupts
    prio(UART_IRQ, 1);
    expect(lines[S]!.level).toBe(true);
    expect(lines[M]!.level).toBe(false);
    threshold(S, 1);
    expect(lines[S]!.level).toBe(false);
    threshold(S, 0);
    expect(lines[S]!.level).toBe(true);
  });

  it('pending bits are visible at 0x1000 and read-only', () => {
    const { plic, rd, wr } = setup();
    plic.setSourceLevel(UART_IRQ, true);
    plic.setSourceLevel(40, true);
    expect(rd(PlicReg.PENDING_BASE)).toBe(1 << UART_IRQ);
    expect(rd(PlicReg.PENDING_BASE + 4)).toBe(1 << (40 - 32));
    wr(PlicReg.PENDING_BASE, 0);
    expect(rd(PlicReg.PENDING_BASE)).toBe(1 << UART_IRQ);
  });

  it('claim picks the highest priority, ties go to the lowest id, and clears pending', () => {
    const { plic, prio, enable, claim, rd } = setup();
    for (const src of [RTC_IRQ, UART_IRQ, 3]) {
      prio(src, src === 3 ? 2 : 5);
      enable(S, src);
      plic.setSourceLevel(src, true);
    }
    expect(claim(S)).toBe(UART_IRQ);
    expect(rd(PlicReg.PENDING_BASE) & (1 << UART_IRQ)).toBe(0);
    expect(claim(S)).toBe(RTC_IRQ);
    expect(claim(S)).toBe(3);
    expect(claim(S)).toBe(0);
  });

  it('a claimed source is not re-pended until complete; after complete a high level pends again', () => {
    const { plic, lines, prio, enable, claim, complete } = setup();
    prio(UART_IRQ, 1);
    enable(S, UART_IRQ);
    plic.setSourceLevel(UART_IRQ, true);
    expect(claim(S)).toBe(UART_IRQ);
    expect(lines[S]!.level).toBe(false);
    plic.setSourceLevel(UART_IRQ, true);
    expect(lines[S]!.level).toBe(false);
    complete(S, UART_IRQ);
    expect(lines[S]!.level).toBe(true); // level still high
    expect(claim(S)).toBe(UART_IRQ);
    plic.setSourceLevel(UART_IRQ, false);
    complete(S, UART_IRQ);
    expect(lines[S]!.level).toBe(false);
    expect(claim(S)).toBe(0);
  });

  it('a falling level withdraws an unclaimed request', () => {
    const { plic, lines, prio, enable, claim } = setup();
    prio(UART_IRQ, 1);
    enable(S, UART_IRQ);
    plic.setSourceLevel(UART_IRQ, true);
    plic.setSourceLevel(UART_IRQ, false);
    expect(lines[S]!.level).toBe(false);
    expect(claim(S)).toBe(0);
  });

  it('ignores a completion for a source not enabled in that context (spec), as Linux expects', () => {
    const { plic, prio, enable, claim, complete, wr, ctxReg } = setup();
    prio(UART_IRQ, 1);
    enable(S, UART_IRQ);
    plic.setSourceLevel(UART_IRQ, true);
    expect(claim(S)).toBe(UART_IRQ);
    wr(PlicReg.ENABLE_BASE + PlicReg.ENABLE_STRIDE * S, 0); // Linux masks the irq
    complete(S, UART_IRQ);
    enable(S, UART_IRQ);
    expect(claim(S)).toBe(0); // still in service
    wr(ctxReg(S, PlicReg.CONTEXT_CLAIM), UART_IRQ); // Linux's plic_irq_eoi toggles enable around this
    expect(claim(S)).toBe(UART_IRQ);
  });

  it('contexts are independent: M and S of one hart, and of a second hart', () => {
    const { plic, lines, prio, enable, claim } = setup(2);
    prio(UART_IRQ, 1);
    enable(M, UART_IRQ);
    enable(3, UART_IRQ);
    plic.setSourceLevel(UART_IRQ, true);
    expect(lines.map((l) => l.level)).toEqual([true, false, false, true]);
    expect(claim(3)).toBe(UART_IRQ);
    expect(lines.map((l) => l.level)).toEqual([false, false, false, false]); // in service for everyone
  });

  it('bit 0 of enable word 0 is hardwired off; threshold is WARL 0..7', () => {
    const { rd, wr, ctxReg } = setup();
    wr(PlicReg.ENABLE_BASE + PlicReg.ENABLE_STRIDE, 0xffffffff);
    expect(rd(PlicReg.ENABLE_BASE + PlicReg.ENABLE_STRIDE)).toBe(0xfffffffe);
    wr(ctxReg(S, 0), 0x1f);
    expect(rd(ctxReg(S, 0))).toBe(7);
  });

  it('rejects sources outside 1..95 and a wrong number of context lines', () => {
    const { plic } = setup();
    expect(() => plic.setSourceLevel(0, true)).toThrow(RangeError);
    expect(() => plic.setSourceLevel(PLIC_NUM_SOURCES, true)).toThrow(RangeError);
    expect(() => new Plic(createPlicState(1), [])).toThrow(RangeError);
  });

  it('snapshot reports levels, pending, enables and line states', () => {
    const { plic, prio, enable } = setup();
    prio(RTC_IRQ, 3);
    enable(S, RTC_IRQ);
    plic.setSourceLevel(RTC_IRQ, true);
    const snap = plic.snapshot();
    expect(snap.level[RTC_IRQ]).toBe(true);
    expect(snap.pending[RTC_IRQ]).toBe(true);
    expect(snap.priority[RTC_IRQ]).toBe(3);
    expect(snap.contexts[S]).toEqual({ threshold: 0, enabled: [RTC_IRQ], irq: true });
    expect(snap.contexts[M]!.irq).toBe(false);
  });

  it('afterLoad re-derives the lines; reset keeps high levels pending', () => {
    const a = setup();
    a.prio(UART_IRQ, 1);
    a.enable(S, UART_IRQ);
    a.plic.setSourceLevel(UART_IRQ, true);
    const b = setup();
    Object.assign(b.plic.state, structuredClone(a.plic.state));
    b.plic.afterLoad();
    expect(b.lines[S]!.level).toBe(true);
    resetPlic(b.plic.state);
    expect(b.rd(PlicReg.PENDING_BASE)).toBe(1 << UART_IRQ);
  });

  it('property: claim order matches a reference model (priority desc, then id asc)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 1, max: 95 }), prio: fc.integer({ min: 0, max: 7 }) }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 7 }),
        (sources, thr) => {
          const { plic, prio, enable, claim, threshold } = setup();
          threshold(S, thr);
          const model = new Map<number, number>();
          for (const { id, prio: p } of sources) {
            prio(id, p);
            enable(S, id);
            plic.setSourceLevel(id, true);
            model.set(id, p);
          }
          const expected = [...model].filter(([, p]) => p > thr).sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([id]) => id);
          const got: number[] = [];
          for (let id = claim(S); id !== 0; id = claim(S)) got.push(id);
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});
