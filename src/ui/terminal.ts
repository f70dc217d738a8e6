/**
 * The console of one VM: an xterm.js terminal with the fit addon, 5000 lines of scrollback, a
 * dark theme, and copy/paste with Ctrl+Shift+C / Ctrl+Shift+V (plain Ctrl+C must reach the
 * guest as ^C). The browser's own copy and paste (menu, Cmd+C/V, Ctrl+Shift+V) work through
 * xterm's selection and its hidden textarea.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

export const SCROLLBACK_LINES = 5000;

export interface VmTerminal {
  terminal: Terminal;
  fit: FitAddon;
}

export function createTerminal(onData: (data: string) => void): VmTerminal {
  const terminal = new Terminal({
    scrollback: SCROLLBACK_LINES,
    convertEol: false,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    theme: { background: '#0b0e14', foreground: '#d5d9e0', cursor: '#7aa2f7', selectionBackground: '#3b4261' },
  });
  const fit = new FitAddon();
  terminal.loadAddon(fit);
  terminal.onData(onData);
  terminal.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    if (e.code === 'KeyC') {
      // Copy the selection (and keep the browser from opening its element inspector).
      e.preventDefault();
      const text = terminal.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      return false;
    }
    // Ctrl+Shift+V is the browser's own "paste as plain text": its paste event reaches xterm's
    // textarea, so xterm must only not send ^V to the guest (pasting here too would paste twice).
    return e.code !== 'KeyV';
  });
  return { terminal, fit };
}
