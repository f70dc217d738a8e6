/**
 * Two tabs in one browser context: a VM printing an increasing number every 100 ms is dragged
 * from tab A to tab B with a trusted drop; B's terminal continues the count with no number
 * missing or repeated, A's card says where it went, and typing in B reaches the guest. Then
 * the VM goes back and forth five times (once with "Send to tab…"), and a saved snapshot file
 * is reopened after a reload.
 */
import { expect, test } from '@playwright/test';
import {
  arrived, BOOT_TIMEOUT_MS, counts, departed, dragVmToTab, expectConsecutive, interrupt, liveCard, LOOP, MIGRATION_TIMEOUT_MS, openTab, terminalText,
  typeInto, waitForCountAbove,
} from './tabs.ts';

test('a counting VM moves between two tabs and keeps counting; snapshot file survives a reload', async ({ context }, testInfo) => {
  test.setTimeout(15 * 60_000);
  const a = await context.newPage();
  const b = await context.newPage();
  for (const p of [a, b]) p.on('dialog', (d) => void d.accept());
  await openTab(a, 'Tab A', true);
  await openTab(b, 'Tab B', false);
  // Each tab lists the other as a drop target.
  await expect(a.getByTestId('peer-tab')).toHaveText(/Tab B/, { timeout: 20_000 });
  await expect(b.getByTestId('peer-tab')).toHaveText(/Tab A/, { timeout: 20_000 });

  await expect(liveCard(a)).toHaveAttribute('data-phase', 'ready', { timeout: BOOT_TIMEOUT_MS });
  let vmId = (await liveCard(a).getAttribute('data-vm'))!;
  await typeInto(a, LOOP);
  const before = await waitForCountAbove(a, vmId, 20);

  // 1. A real cross-tab drag: A's card dropped into B's page.
  await dragVmToTab(a, b);
  vmId = await arrived(b, 'Tab A');
  await departed(a, 'Tab B');
  await a.screenshot({ path: testInfo.outputPath('migration-1-tab-a-source-moved.png') });
  await b.screenshot({ path: testInfo.outputPath('migration-1-tab-b-destination-running.png') });
  await waitForCountAbove(b, vmId, before + 20);
  let seq = counts(await terminalText(b, vmId));
  expect(seq[0]).toBe(0);
  expectConsecutive(seq);

  // Typing in B reaches the guest.
  await interrupt(b, vmId);
  await typeInto(b, 'echo moved-ok');
  await expect.poll(async () => (await terminalText(b, vmId)).split('\n').map((l) => l.trim()), { timeout: 30_000 }).toContain('moved-ok');

  // 2–6. Back and forth five times, the fourth with "Send to tab…"; the count goes on each time.
  await typeInto(b, LOOP);
  let last = await waitForCountAbove(b, vmId, 10);
  let [here, there] = [b, a];
  const names = new Map([
    [a, 'Tab A'],
    [b, 'Tab B'],
  ]);
  for (let move = 2; move <= 6; move++) {
    if (move === 5) {
      const card = liveCard(here);
      await card.getByRole('button', { name: 'Send to tab…' }).click();
      await card.getByRole('menuitem', { name: names.get(there)! }).click();
    } else {
      await dragVmToTab(here, there);
    }
    vmId = await arrived(there, names.get(here)!);
    await departed(here, names.get(there)!);
    last = await waitForCountAbove(there, vmId, last + 10);
    seq = counts(await terminalText(there, vmId));
    expect(seq[seq.length - 1]).toBeGreaterThan(last - 1);
    expectConsecutive(seq.slice(seq.lastIndexOf(0)));
    [here, there] = [there, here];
  }
  await here.screenshot({ path: testInfo.outputPath('migration-6-destination.png') });
  await there.screenshot({ path: testInfo.outputPath('migration-6-source.png') });

  // Save a snapshot to a file, reload the tab, open the file: the count goes on from there.
  const download = here.waitForEvent('download');
  await here.locator('[data-testid="vm-view"]:visible').getByRole('button', { name: 'Save snapshot' }).click();
  const file = testInfo.outputPath('counting-vm.tabvm');
  await (await download).saveAs(file);
  expect((await download).suggestedFilename()).toMatch(/^tabvm-vm1-.*\.tabvm$/);
  const savedAt = counts(await terminalText(here, vmId)).pop()!;
  // Reload (without booting a fresh VM: the page is only to hold the file's).
  await openTab(here, names.get(here)!, false);
  await expect(here.getByTestId('vm-card')).toHaveCount(0);
  await here.getByTestId('open-snapshot').setInputFiles(file);
  const restored = liveCard(here);
  await expect(restored).toHaveAttribute('data-state', 'running', { timeout: MIGRATION_TIMEOUT_MS });
  vmId = (await restored.getAttribute('data-vm'))!;
  await waitForCountAbove(here, vmId, savedAt + 10);
  seq = counts(await terminalText(here, vmId));
  expect(seq).toContain(savedAt);
  expectConsecutive(seq.slice(seq.lastIndexOf(0)));
  await here.screenshot({ path: testInfo.outputPath('snapshot-reopened.png') });
  await interrupt(here, vmId);
  await typeInto(here, 'echo restored-$((6*7))');
  await expect.poll(async () => (await terminalText(here, vmId)).split('\n').map((l) => l.trim()), { timeout: 30_000 }).toContain('restored-42');
});

test('a damaged snapshot file is explained, not a crash', async ({ page }, testInfo) => {
  await openTab(page, 'Tab C', false);
  const file = testInfo.outputPath('damaged.tabvm');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(file, 'QEVM this is not a snapshot');
  await page.getByTestId('open-snapshot').setInputFiles(file);
  await expect(page.getByTestId('notice')).toContainText('Cannot open damaged.tabvm: cannot restore', { timeout: 60_000 });
  await expect(page.getByTestId('vm-card')).toHaveCount(0);
});
