/**
 * Two tabs of the app in one browser context (BroadcastChannel and the SharedWorker broker are
 * per context): open, name, find the live VM, read its whole terminal buffer, check a counting
 * loop, and move a VM by a trusted cross-tab drag (DevTools protocol, see
 * ../shared/REFERENCE.md "Browser testing here"): `Input.setInterceptDrags` on the source
 * captures the drag data with its custom MIME type, `Input.dispatchDragEvent` replays it
 * (dragEnter, dragOver, drop) into the target page.
 */
import { expect, type Page } from '@playwright/test';

export const MIGRATION_TIMEOUT_MS = 120_000;

export async function openTab(page: Page, name: string, boot: boolean): Promise<void> {
  await page.goto(`/?tab=${encodeURIComponent(name)}${boot ? '' : '&boot=0'}`);
  await expect(page.getByTestId('tab-name')).toHaveValue(name);
}

/** The card of the VM this tab runs (moved-away cards stay, greyed, and are not it). */
export function liveCard(page: Page) {
  return page.locator('[data-testid="vm-card"]:not([data-state="moved"])').last();
}

export async function terminalText(page: Page, vmId: string): Promise<string> {
  return page.evaluate((id) => window.tabvm?.terminalText(id) ?? '', vmId);
}

/** The numbers the loop printed, in order: lines that are only digits. */
export function counts(text: string): number[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

/** Every number follows the one before it: none missing, none repeated. */
export function expectConsecutive(xs: number[]): void {
  expect(xs.length).toBeGreaterThan(0);
  const breaks = xs.flatMap((x, i) => (i > 0 && x !== xs[i - 1]! + 1 ? [`${xs[i - 1]} → ${x}`] : []));
  expect(breaks).toEqual([]);
}

/** Waits until the live VM of `page` has printed a count above `n`; returns the last count. */
export async function waitForCountAbove(page: Page, vmId: string, n: number, timeout = 60_000): Promise<number> {
  let last = -1;
  await expect
    .poll(
      async () => {
        const c = counts(await terminalText(page, vmId));
        last = c[c.length - 1] ?? -1;
        return last;
      },
      { timeout },
    )
    .toBeGreaterThan(n);
  return last;
}

/** Drags `from`'s live VM card and drops it into `to`'s page, as a person dragging between tabs would. */
export async function dragVmToTab(from: Page, to: Page): Promise<void> {
  const card = liveCard(from);
  const box = (await card.boundingBox())!;
  const source = await from.context().newCDPSession(from);
  await source.send('Input.setInterceptDrags', { enabled: true });
  const intercepted = new Promise<{ data: unknown }>((resolve) => source.once('Input.dragIntercepted', resolve));
  // Raw DevTools mouse events: Playwright's own mouse intercepts drags itself and keeps the data.
  const mouse = (type: string, x: number, y: number, buttons: number) =>
    source.send('Input.dispatchMouseEvent', { type, x, y, button: buttons ? 'left' : 'none', buttons, clickCount: 1 } as never);
  const x = box.x + box.width / 2;
  const y = box.y + 12;
  await mouse('mouseMoved', x, y, 0);
  await mouse('mousePressed', x, y, 1);
  for (let i = 1; i <= 8; i++) await mouse('mouseMoved', x + i * 15, y + i * 20, 1);
  const { data } = await intercepted;
  // The drag leaves tab A: it ends there without a drop.
  await source.send('Input.dispatchDragEvent', { type: 'dragCancel', x: x + 120, y: y + 160, data } as never).catch(() => undefined);
  await mouse('mouseReleased', x + 120, y + 160, 0);
  await source.send('Input.setInterceptDrags', { enabled: false });
  await source.detach();

  await to.bringToFront();
  const target = await to.context().newCDPSession(to);
  const at = { x: 700, y: 400 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await target.send('Input.dispatchDragEvent', { type, ...at, data } as never);
  }
  await target.detach();
}

export const BOOT_TIMEOUT_MS = 180_000;
/** A loop printing an increasing number every 100 ms. */
export const LOOP = 'i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done';

/** The shell's prompt is the last line: the loop is over and the shell reads a command. */
async function atPrompt(page: Page, vmId: string): Promise<boolean> {
  const lines = (await terminalText(page, vmId)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] === '~ #';
}

/**
 * Stops the counting loop with ^C, as a person would: pressing it again if the loop goes on.
 * Seen once in this test: the guest's terminal echoed "^C" (so the key reached the guest's tty
 * layer) and the loop counted on. A job-control shell loses a ^C that lands after `sleep` has
 * exited but before the shell has taken the terminal's foreground back: the kernel signals the
 * finished job's process group, not the shell. That race is the guest's, so press again.
 */
export async function interrupt(page: Page, vmId: string): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.locator('[data-testid="vm-view"]:visible [data-testid="terminal"]').click();
    await page.keyboard.press('Control+C');
    const stopped = await expect
      .poll(() => atPrompt(page, vmId), { timeout: 5_000 })
      .toBe(true)
      .then(
        () => true,
        () => false,
      );
    if (stopped) return;
  }
  throw new Error('five ^C did not stop the loop');
}

export async function typeInto(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid="vm-view"]:visible [data-testid="terminal"]').click();
  await page.keyboard.type(line, { delay: 15 });
  await page.keyboard.press('Enter');
}

/** Waits for `page` to run the VM it received; returns the live card's VM id. */
export async function arrived(page: Page, from: string): Promise<string> {
  const card = liveCard(page);
  await expect(card).toHaveAttribute('data-migration', 'completed', { timeout: MIGRATION_TIMEOUT_MS });
  await expect(card).toHaveAttribute('data-state', 'running');
  const panel = page.locator('[data-testid="vm-view"]:visible [data-testid="migration-panel"]');
  await expect(panel).toContainText(`Arrived from ${from}`);
  // This tab built the announced machine before the move started (QEMU's -incoming).
  await expect(panel).toContainText(/prepared before\s*\d+ ms/);
  return (await card.getAttribute('data-vm'))!;
}

/** The source's last card was moved to `to`, and it no longer runs. */
export async function departed(page: Page, to: string): Promise<void> {
  const card = page.locator('[data-testid="vm-card"][data-state="moved"]').last();
  await expect(card.getByTestId('moved-to')).toHaveText(`moved to ${to}`, { timeout: MIGRATION_TIMEOUT_MS });
  await expect(page.locator('[data-testid="vm-card"][data-state="running"]')).toHaveCount(0);
}
