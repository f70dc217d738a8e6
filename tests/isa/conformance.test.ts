/**
 * Runs every program in tests/isa/build on the bare-metal machine and expects the HTIF
 * verdict "pass". The programs are built by tests/isa/Makefile from tests/isa/src and
 * committed, so this test needs no cross toolchain. The self-tests in build/selftest check
 * the runner itself: a program that fails case 3, one that prints, one that never ends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HartOptions } from '../../src/core/cpu/hart.ts';
import { runTohostElf, type TohostResult } from '../../src/machine/bare-metal.ts';

const BUILD_DIR = fileURLToPath(new URL('./build/', import.meta.url));
const SELFTEST_DIR = fileURLToPath(new URL('./build/selftest/', import.meta.url));
/** Far above the longest program (the timer tests wait ~10^5 instructions). */
const MAX_INSTRUCTIONS = 20_000_000;

function listElfs(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.elf'))
    .sort();
}

function run(dir: string, name: string, maxInstructions = MAX_INSTRUCTIONS, hart?: HartOptions): TohostResult {
  const bytes = new Uint8Array(readFileSync(dir + name));
  return runTohostElf(bytes, { maxInstructions, hart });
}

function explain(name: string, result: TohostResult): string {
  return (
    `${name}: status=${result.status} testCase=${String(result.testCase)} ` +
    `instructions=${result.instructions} output=${JSON.stringify(result.output)}`
  );
}

const programs = listElfs(BUILD_DIR);

describe('ISA conformance programs (tests/isa/build)', () => {
  it('has built programs to run', () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  for (const name of programs) {
    it(name, () => {
      const result = run(BUILD_DIR, name);
      expect(result.status, explain(name, result)).toBe('pass');
    });
  }
});

// The block compiler (core/cpu/jit) must be invisible: with every block start compiled on its
// first request, and with no compiler at all, each program passes after exactly the same
// number of instructions with the same output (its timer and interrupt tests depend on it).
describe('ISA conformance programs, block compiler against the interpreter', () => {
  for (const name of programs) {
    it(name, () => {
      const interpreted = run(BUILD_DIR, name, MAX_INSTRUCTIONS, { jit: false });
      const compiled = run(BUILD_DIR, name, MAX_INSTRUCTIONS, { jitThreshold: 1 });
      expect(interpreted.status, explain(name, interpreted)).toBe('pass');
      expect(compiled.status, explain(name, compiled)).toBe('pass');
      expect(compiled.instructions).toBe(interpreted.instructions);
      expect(compiled.output).toBe(interpreted.output);
    });
  }
});

describe('tohost runner self-tests (tests/isa/build/selftest)', () => {
  it('reports the failing case number of a program that fails case 3', () => {
    const result = run(SELFTEST_DIR, 'fail-case3.elf');
    expect(result.status, explain('fail-case3.elf', result)).toBe('fail');
    expect(result.testCase, explain('fail-case3.elf', result)).toBe(3);
  });

  it('collects characters printed through HTIF putchar', () => {
    const result = run(SELFTEST_DIR, 'hello.elf');
    expect(result.status, explain('hello.elf', result)).toBe('pass');
    expect(result.output).toBe('hello\n');
  });

  it('stops a program that never reports at maxInstructions', () => {
    const limit = 100_000;
    const result = run(SELFTEST_DIR, 'spin.elf', limit);
    expect(result.status, explain('spin.elf', result)).toBe('timeout');
    expect(result.instructions).toBeGreaterThanOrEqual(limit);
    expect(result.instructions).toBeLessThan(limit + 1_000);
  });
});
