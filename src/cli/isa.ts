/**
 * `npm run isa -- FILE.elf...`: runs conformance programs that report through HTIF `tohost`
 * (the official riscv-tests and the project's own), one line per file, then `N passed, M failed`.
 * Exit status 0 only when every file passed.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { HartOptions } from '../core/cpu/hart.ts';
import { runTohostElf } from '../machine/bare-metal.ts';

const USAGE =
  'usage: npm run isa -- [--max-instructions N] [--engine default|interpreter|compile-all] FILE.elf...\n' +
  '  --engine interpreter: no compiled blocks; compile-all: compile every block on first use\n';
const ENGINES: Record<string, HartOptions> = { default: {}, interpreter: { jit: false }, 'compile-all': { jitThreshold: 1 } };

function main(argv: string[]): number {
  const files: string[] = [];
  let max: number | undefined;
  let hart: HartOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--max-instructions') max = Number(argv[++i]);
    else if (a === '--engine') {
      const e = ENGINES[argv[++i] ?? ''];
      if (!e) {
        process.stderr.write(USAGE);
        return 2;
      }
      hart = e;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else files.push(a);
  }
  if (files.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let line: string;
    try {
      const r = runTohostElf(readFileSync(file), { maxInstructions: max, hart });
      if (r.status === 'pass') {
        passed++;
        line = `pass     ${basename(file)} (${r.instructions} instructions)`;
      } else if (r.status === 'fail') {
        failed++;
        line = `FAIL     ${basename(file)}: test ${r.testCase} failed`;
      } else {
        failed++;
        line = `TIMEOUT  ${basename(file)} after ${r.instructions} instructions`;
      }
      if (r.output && r.status !== 'pass') line += `\n         output: ${JSON.stringify(r.output)}`;
    } catch (e) {
      failed++;
      line = `ERROR    ${basename(file)}: ${e instanceof Error ? e.message : String(e)}`;
    }
    process.stdout.write(line + '\n');
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
