import { describe, expect, it } from 'vitest';
import { createExampleMachine, exampleMachineConfig, exampleSections } from './fixtures/examples.ts';
import { rehearseSave, rehearseStopAndCopy } from './rehearse.ts';

describe('stop-and-copy rehearsal', () => {
  it('round-trips a machine\'s sections through a whole stream and leaves equal state', () => {
    const m = createExampleMachine();
    m.uart.scratch = 0x42;
    const before = structuredClone(m);
    rehearseStopAndCopy(exampleSections(m), exampleMachineConfig);
    expect(m.uart).toEqual(before.uart);
    expect(m.harts).toEqual(before.harts);
  });

  it.each(['pause', 'ahead'] as const)('round-trips its RAM pages too (scope %s)', (scope) => {
    const m = createExampleMachine();
    expect(() => rehearseStopAndCopy(exampleSections(m), exampleMachineConfig, scope)).not.toThrow();
  });

  it('throws when the sections cannot make the round trip', () => {
    const m = createExampleMachine();
    const sections = exampleSections(m);
    // A section listed twice is a broken machine: better found before the pause.
    expect(() => rehearseStopAndCopy([...sections, sections[0]!], exampleMachineConfig)).toThrow();
  });

  it('only reads when rehearsing the save', () => {
    const m = createExampleMachine();
    const before = structuredClone(m);
    rehearseSave(exampleSections(m), exampleMachineConfig);
    expect(m).toEqual(before);
  });
});
