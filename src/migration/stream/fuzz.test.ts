/**
 * Hostile input: every truncation point and thousands of random byte flips of a real stream.
 * The loader must end in either the identical machine (a flip in the JSON description, which
 * loading does not need) or a StreamError; any other exception fails the test, and so does a
 * load that "succeeds" with different state.
 */
import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { StreamError } from './errors.ts';
import { exampleMachineConfig, exampleSections, goldenMachine } from './fixtures/examples.ts';
import { exampleHost } from './fixtures/host.ts';
import { loadStream, StreamLoader } from './loader.ts';
import { saveStreamBytes } from './save.ts';

const m = goldenMachine();
const saved = saveStreamBytes({ blockers: [], ramBytes: m.ram, machine: exampleMachineConfig, sections: exampleSections(m) });
if (!saved.ok) throw new Error('blocked');
const stream = saved.bytes;
const vmdescStart = stream.lastIndexOf(0x06, stream.indexOf(0x7b, stream.lastIndexOf(0)));

type Outcome = 'identical' | StreamError['reason'];

function outcome(bytes: Uint8Array, chunk?: number): Outcome {
  const host = exampleHost();
  let r;
  if (chunk === undefined) r = loadStream(bytes, host);
  else {
    const l = new StreamLoader(host);
    for (let i = 0; i < bytes.length; i += chunk) l.push(bytes.subarray(i, i + chunk));
    r = l.finish();
  }
  if (!r.ok) {
    expect(r.error).toBeInstanceOf(StreamError);
    expect(r.error.offset).toBeGreaterThanOrEqual(0);
    expect(r.error.offset).toBeLessThanOrEqual(bytes.length);
    return r.error.reason;
  }
  // RAM compared as bytes: a deep toEqual over 64 KiB is what would make this test slow.
  const got = host.machine!;
  expect(got.ram.length === m.ram.length && got.ram.every((b, i) => b === m.ram[i])).toBe(true);
  expect({ ...got, ram: undefined }).toEqual({ ...m, ram: undefined });
  expect(host.afterLoadCalls).toBe(1);
  return 'identical';
}

group('fuzz', () => {
  it('refuses every truncation of a real stream', () => {
    const reasons = new Set<Outcome>();
    for (let n = 0; n < stream.length; n++) {
      const o = outcome(stream.subarray(0, n));
      expect(o).not.toBe('identical');
      reasons.add(o);
    }
    expect(reasons).toEqual(new Set(['truncated']));
  });

  it('refuses every truncation when fed in chunks, too', () => {
    for (let n = 0; n < stream.length; n += 97) expect(outcome(stream.subarray(0, n), 13)).toBe('truncated');
  });

  it('random byte flips give the identical machine or a StreamError', () => {
    const seen = new Map<Outcome, number>();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: stream.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }),
        (at, xor, chunk) => {
          const b = stream.slice();
          b[at]! ^= xor;
          const o = outcome(b, chunk);
          // Only the JSON description is not needed for loading.
          if (o === 'identical') expect(at).toBeGreaterThan(vmdescStart + 4);
          seen.set(o, (seen.get(o) ?? 0) + 1);
        },
      ),
      { numRuns: 4000, endOnFailure: true },
    );
    expect(seen.get('integrity') ?? 0).toBeGreaterThan(0);
  });

  it('flips in every structural byte (headers, RAM records, device sections) are refused', () => {
    const pagesStart = stream.indexOf(0x02, 100);
    for (let at = 0; at < vmdescStart + 5; at++) {
      if (at > pagesStart + 64 && at < stream.length - 8000) continue; // skip most page data: covered by the random flips
      const b = stream.slice();
      b[at]! ^= 0x41;
      expect(outcome(b)).not.toBe('identical');
    }
  });
});
