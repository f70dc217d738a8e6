/**
 * The page boots the default VM by itself; a person types a command and sees its output; the
 * registers panel follows the running hart.
 */
import { expect, test } from '@playwright/test';
import { activeView, PROMPT, screenRows, typeLine } from './terminal.ts';

/** Boot takes 15–30 s of wall time on a loaded 2-core machine; leave room. */
const BOOT_TIMEOUT_MS = 120_000;

test('boots to the shell prompt without clicks and runs a command', async ({ page }, testInfo) => {
  test.setTimeout(BOOT_TIMEOUT_MS + 60_000);
  await page.goto('/');
  const card = page.getByTestId('vm-card').first();
  await expect(card).toHaveAttribute('data-state', /loading|running/);

  // Download progress, then "booting kernel…", then the prompt.
  await expect(card).toHaveAttribute('data-phase', 'booting', { timeout: 30_000 });
  await expect(activeView(page).getByText('booting kernel…')).toBeVisible();
  await expect(card).toHaveAttribute('data-phase', 'ready', { timeout: BOOT_TIMEOUT_MS });
  await expect.poll(async () => (await screenRows(page)).some((r) => r.startsWith(PROMPT))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('prompt.png') });

  await typeLine(page, 'echo $((6*7))');
  await expect.poll(async () => (await screenRows(page)).map((r) => r.trim()), { timeout: 20_000 }).toContain('42');
  const rows = await screenRows(page);
  const echo = rows.findIndex((r) => r.includes('echo $((6*7))'));
  expect(echo).toBeGreaterThanOrEqual(0);
  expect(rows[echo + 1]!.trim()).toBe('42');
  await page.screenshot({ path: testInfo.outputPath('echo-42.png') });

  // Paste with Ctrl+Shift+V (plain Ctrl+V/C belong to the guest).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((2+3))'));
  await page.keyboard.press('Control+Shift+V');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await screenRows(page)).map((r) => r.trim()), { timeout: 20_000 }).toContain('pasted-5');
  // Pasted once, not twice (browser paste and a clipboard read would both deliver it).
  const echoed = (await screenRows(page)).map((r) => r.trim()).filter((r) => r.includes('pasted-$((2+3))'));
  expect(echoed).toEqual(['~ # echo pasted-$((2+3))']);
});

test('the registers panel shows a pc that changes while the guest runs', async ({ page }, testInfo) => {
  test.setTimeout(BOOT_TIMEOUT_MS + 60_000);
  await page.goto('/');
  const card = page.getByTestId('vm-card').first();
  await expect(card).toHaveAttribute('data-phase', 'ready', { timeout: BOOT_TIMEOUT_MS });
  // An idle guest sits in WFI at one pc: give the hart something to do.
  await typeLine(page, 'while :; do :; done &');
  const pc = activeView(page).getByTestId('pc');
  await expect(pc).toHaveText(/^[0-9a-f]{8}_[0-9a-f]{8}$/);
  // The panel refreshes ~4×/s: sample it for a few seconds.
  const seen = new Set<string>();
  for (let i = 0; i < 12 && seen.size < 3; i++) {
    seen.add((await pc.textContent()) ?? '');
    await page.waitForTimeout(300);
  }
  expect(seen.size).toBeGreaterThan(1);
  await expect(activeView(page).getByTestId('priv')).toHaveText(/^[MSU]$/);
  await page.screenshot({ path: testInfo.outputPath('registers.png') });
});
