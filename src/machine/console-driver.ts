/**
 * Drives a machine's console like a person at a terminal, for tests, benchmarks and demos:
 * run until some text appears, type a line, collect what the guest printed. Deterministic:
 * it only runs the machine; it never reads host time.
 */
import type { VirtMachine } from './virt-machine.ts';

export class ConsoleTimeout extends Error {
  override readonly name = 'ConsoleTimeout';
}

export class ConsoleDriver {
  /** Everything the guest printed, decoded as Latin-1 (bytes map 1:1 to chars). */
  output = '';
  /** Index in `output` up to which earlier waits have consumed text. */
  mark = 0;

  constructor(readonly machine: VirtMachine) {}

  /** The console backend to hand to VirtMachine: append bytes to `output`. */
  static sink(driver: () => ConsoleDriver | undefined): (bytes: Uint8Array) => void {
    return (bytes) => {
      const d = driver();
      if (d) for (const b of bytes) d.output += String.fromCharCode(b);
    };
  }

  /**
   * Runs until `text` appears after the mark; returns the output between the mark and the end
   * of the match, and moves the mark past it. Throws ConsoleTimeout after `maxInstructions`.
   */
  runUntil(text: string, maxInstructions = 2_000_000_000, step = 200_000): string {
    const start = this.mark;
    let ran = 0;
    for (;;) {
      const at = this.output.indexOf(text, start);
      if (at >= 0) {
        this.mark = at + text.length;
        return this.output.slice(start, this.mark);
      }
      if (ran >= maxInstructions) {
        throw new ConsoleTimeout(`"${text}" did not appear within ${ran} instructions; last output: ${JSON.stringify(this.output.slice(-300))}`);
      }
      const r = this.machine.run(Math.min(step, maxInstructions - ran));
      ran += r.consumed;
      if (r.power !== 'on') {
        throw new ConsoleTimeout(`machine powered off before "${text}" appeared; last output: ${JSON.stringify(this.output.slice(-300))}`);
      }
      if (r.consumed === 0 && r.idle && r.idleTicks === Infinity) {
        throw new ConsoleTimeout(`guest idles forever before "${text}" appeared; last output: ${JSON.stringify(this.output.slice(-300))}`);
      }
    }
  }

  /** Types `line` and a newline. */
  type(line: string): void {
    const bytes = Uint8Array.from(line + '\n', (c) => c.charCodeAt(0) & 0xff);
    if (this.machine.consoleInput(bytes) !== bytes.length) throw new Error('console input buffer full');
  }

  /** Types a command and returns what it printed before the next prompt (echo removed). */
  command(line: string, prompt = '~ # ', maxInstructions?: number): string {
    this.type(line);
    const out = this.runUntil(prompt, maxInstructions);
    const body = out.slice(0, out.length - prompt.length);
    const echoEnd = body.indexOf('\n');
    return (echoEnd >= 0 ? body.slice(echoEnd + 1) : body).replace(/\r/g, '');
  }

  /** Runs until the guest powers off; returns the exit code. */
  runUntilPowerOff(maxInstructions = 2_000_000_000): number {
    let ran = 0;
    while (ran < maxInstructions) {
      const r = this.machine.run(Math.min(1_000_000, maxInstructions - ran));
      ran += r.consumed;
      if (r.power === 'off') return this.machine.board.exitCode;
      if (r.consumed === 0 && r.idle && r.idleTicks === Infinity) break;
    }
    throw new ConsoleTimeout(`machine did not power off within ${ran} instructions`);
  }
}
