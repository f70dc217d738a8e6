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
