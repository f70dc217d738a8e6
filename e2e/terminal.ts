/** Helpers for reading and typing into the app's xterm.js terminal from Playwright. */
import type { Locator, Page } from '@playwright/test';

export const PROMPT = '~ # ';

/** The selected VM's view. */
export function activeView(page: Page): Locator {
  return page.locator('[data-testid="vm-view"]:visible');
}

/** The text on the visible terminal screen, one string per row (xterm's DOM renderer). */
export async function screenRows(page: Page): Promise<string[]> {
  return activeView(page)
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ')));
}

/** Types into the terminal as a user would (focus, then key presses). */
export async function typeLine(page: Page, line: string): Promise<void> {
  await activeView(page).locator('[data-testid="terminal"]').click();
  await page.keyboard.type(line, { delay: 20 });
  await page.keyboard.press('Enter');
}
