/**
 * Several VMs in one tab: each card can be selected, paused and resumed, and closed; the
 * selected VM's full view (terminal, registers, devices) is the only one shown.
 */
import { expect, test } from '@playwright/test';
import { activeView } from './terminal.ts';

test('VM cards: new, select, pause/resume, close; the devices panel lists the board', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto('/');
  const cards = page.getByTestId('vm-card');
  await expect(cards).toHaveCount(1);
  await expect(cards.nth(0)).toHaveAttribute('data-state', 'running', { timeout: 30_000 });

  await page.getByRole('button', { name: '+ New VM' }).click();
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(cards.nth(0)).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('[data-testid="vm-view"]:visible')).toHaveCount(1);
  await expect(activeView(page)).toHaveAttribute('data-vm', (await cards.nth(1).getAttribute('data-vm'))!);
  await expect(cards.nth(1)).toHaveAttribute('data-state', 'running', { timeout: 30_000 });

  // Pause the first VM from its card while the second stays selected.
  await cards.nth(0).getByRole('button', { name: 'Pause' }).click();
  await expect(cards.nth(0)).toHaveAttribute('data-state', 'paused');
  await expect(cards.nth(1)).toHaveAttribute('data-state', 'running');

  // Select it: its view shows the paused state in the controls; the registers stop moving.
  await cards.nth(0).click();
  await expect(activeView(page)).toHaveAttribute('data-vm', (await cards.nth(0).getAttribute('data-vm'))!);
  await expect(activeView(page).getByRole('button', { name: 'Resume' })).toBeEnabled();
  const pc = activeView(page).getByTestId('pc');
  await expect(pc).toHaveText(/^[0-9a-f]{8}_[0-9a-f]{8}$/);
  const frozen = await pc.textContent();
  await page.waitForTimeout(800);
  await expect(pc).toHaveText(frozen!);

  // The devices panel: UART, PLIC contexts, CLINT time, the virtio disk, the memory map.
  const view = activeView(page);
  await expect(view.getByText('UART 16550A @ 0x10000000 · irq 10')).toBeVisible();
  await expect(view.getByText('hart0 S')).toBeVisible();
  await expect(view.getByTestId('mtime')).toHaveText(/^\d+$/);
  await expect(view.getByText(/virtio0\s*block/)).toBeVisible();
  await expect(view.locator('table.map tbody tr')).toHaveCount(15);
  await view.locator('.panels').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.screenshot({ path: testInfo.outputPath('devices-panel.png') });

  await activeView(page).getByRole('button', { name: 'Resume' }).click();
  await expect(cards.nth(0)).toHaveAttribute('data-state', 'running');

  // Close the second VM: one card left, and it is selected.
  await cards.nth(1).getByRole('button', { name: /Close/ }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.nth(0)).toHaveAttribute('aria-pressed', 'true');
});

test('power off stops the VM; start boots it again', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  const card = page.getByTestId('vm-card').first();
  await expect(card).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  const view = activeView(page);
  await view.getByRole('button', { name: 'Power off' }).click();
  await expect(card).toHaveAttribute('data-state', 'off');
  await expect(view.getByRole('button', { name: 'Start' })).toBeEnabled();
  await view.getByRole('button', { name: 'Start' }).click();
  await expect(card).toHaveAttribute('data-state', 'running');
  await expect(card).toHaveAttribute('data-phase', 'booting');
  await expect(view.getByText('booting kernel…')).toBeVisible();
});
