/**
 * Watches console bytes for the shell prompt (busybox's `~ # ` by default), also when the
 * prompt arrives split over several batches. Used to end the "booting kernel…" phase.
 */
export const SHELL_PROMPT = '~ # ';

export class PromptDetector {
  private tail = '';
  private found = false;

  constructor(private readonly prompt = SHELL_PROMPT) {}

  get seen(): boolean {
    return this.found;
  }

  /** Watch for the prompt again (after a reset). */
  reset(): void {
    this.found = false;
    this.tail = '';
  }

  /** Feeds bytes; returns true the first time the prompt is complete. */
  feed(bytes: Uint8Array): boolean {
    if (this.found) return false;
    let text = this.tail;
    // Latin-1: one char per byte, so the prompt's ASCII bytes match whatever else comes.
    for (const b of bytes) text += String.fromCharCode(b);
    if (text.includes(this.prompt)) {
      this.found = true;
      this.tail = '';
      return true;
    }
    this.tail = text.slice(-(this.prompt.length - 1));
    return false;
  }
}
