import { describe, expect, it } from 'vitest';
import { SendWindow } from './send-window.ts';

describe('SendWindow', () => {
  it('has room until the window is reached and regains it on ACKs', () => {
    const w = new SendWindow(100);
    expect([w.take(40), w.take(40), w.hasRoom]).toEqual([0, 1, true]);
    expect(w.take(40)).toBe(2);
    expect([w.hasRoom, w.bytesInFlight]).toEqual([false, 120]);
    expect(w.acknowledge(1)).toBeUndefined();
    expect([w.hasRoom, w.bytesInFlight]).toEqual([true, 80]);
    expect(w.acknowledge(3)).toBeUndefined();
    expect(w.bytesInFlight).toBe(0);
  });

  it('refuses ACKs that go back or cover unsent messages', () => {
    const w = new SendWindow(100);
    w.take(10);
    w.take(10);
    expect(w.acknowledge(2)).toBeUndefined();
    expect(w.acknowledge(1)).toMatch(/went back from 2 to 1/);
    expect(w.acknowledge(3)).toMatch(/ACK for 3 messages but only 2/);
    expect(w.bytesInFlight).toBe(0);
  });

  it('keeps exact accounting across many small messages (compaction)', () => {
    const w = new SendWindow(1 << 30);
    for (let i = 0; i < 5000; i++) {
      w.take(i % 7);
      if (i % 3 === 0) {
        w.acknowledge(i - 100 > 0 ? i - 100 : 0);
      }
    }
    w.acknowledge(4900);
    let rest = 0;
    for (let i = 4900; i < 5000; i++) rest += i % 7;
    expect(w.bytesInFlight).toBe(rest);
    expect(w.acknowledge(5000)).toBeUndefined();
    expect(w.bytesInFlight).toBe(0);
  });
});
