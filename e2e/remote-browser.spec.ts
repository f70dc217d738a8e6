/**
 * Two browsers (two browser contexts: no BroadcastChannel, SharedWorker or storage in common,
 * as two people's browsers) connect by copying an invitation and a reply code under "Another
 * browser", with no server in between. A counting VM then moves from one to the other over
 * WebRTC with "Send to tab…", keeps counting with no number missing or repeated, takes typed
 * input there, and moves back. Disconnecting removes the other browser's tab from the list.
 */
import { networkInterfaces } from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import {
  arrived, BOOT_TIMEOUT_MS, counts, departed, expectConsecutive, interrupt, liveCard, LOOP, openTab, terminalText, typeInto, waitForCountAbove,
} from './tabs.ts';

/**
 * Chromium gathers no ICE candidates on a machine whose only interface is loopback (checked in a
 * network namespace with only `lo`: no candidates, with or without --allow-loopback-in-peer-connection),
 * so two browsers cannot connect there at all.
 */
const hasNetwork = Object.values(networkInterfaces()).some((list) => list?.some((i) => !i.internal));
test.skip(!hasNetwork, 'WebRTC needs a network interface besides loopback, and this machine has none');

async function sendTo(page: Page, peerName: string): Promise<void> {
  const card = liveCard(page);
  await card.getByRole('button', { name: 'Send to tab…' }).click();
  await card.getByRole('menuitem', { name: peerName }).click();
}

test('a counting VM moves to another browser over WebRTC after the two exchange codes, and back', async ({ browser }, testInfo) => {
  test.setTimeout(10 * 60_000);
  const lectern = await browser.newContext();
  const laptop = await browser.newContext();
  const a = await lectern.newPage();
  const b = await laptop.newPage();
  for (const p of [a, b]) p.on('dialog', (d) => void d.accept());
  await openTab(a, 'Lectern', true);
  await openTab(b, 'Laptop', false);

  // A wrong code is explained, not a crash.
  await b.getByTestId('join').click();
  await b.getByTestId('join-input').fill('tabvm-reply:abc');
  await b.getByTestId('make-reply').click();
  await expect(b.getByTestId('link-error')).toContainText('that is a reply code');

  // The invitation goes from A to B, the reply from B to A, by copying.
  await a.getByTestId('invite').click();
  const invitation = await a.getByTestId('invite-code').inputValue();
  expect(invitation).toMatch(/^tabvm-invite:/);
  await b.getByTestId('join-input').fill(invitation);
  await b.getByTestId('make-reply').click();
  const reply = await b.getByTestId('reply-code').inputValue();
  expect(reply).toMatch(/^tabvm-reply:/);
  await a.getByTestId('reply-input').fill(reply);
  await a.getByTestId('accept-reply').click();
  await expect(a.getByTestId('link-open')).toContainText('Connected to Laptop', { timeout: 30_000 });
  await expect(b.getByTestId('link-open')).toContainText('Connected to Lectern', { timeout: 30_000 });
  // Each lists the other's tab, marked as another browser.
  await expect(a.locator('[data-testid="peer-tab"][data-remote="true"]')).toContainText('Laptop', { timeout: 20_000 });
  await expect(b.locator('[data-testid="peer-tab"][data-remote="true"]')).toContainText('Lectern', { timeout: 20_000 });

  await expect(liveCard(a)).toHaveAttribute('data-phase', 'ready', { timeout: BOOT_TIMEOUT_MS });
  let vmId = (await liveCard(a).getAttribute('data-vm'))!;
  await typeInto(a, LOOP);
  const before = await waitForCountAbove(a, vmId, 20);

  // To the other browser.
  await sendTo(a, 'Laptop');
  vmId = await arrived(b, 'Lectern');
  await departed(a, 'Laptop');
  await expect(b.locator('[data-testid="vm-view"]:visible [data-testid="migration-via"]')).toHaveText(/WebRTC data channel/);
  await a.screenshot({ path: testInfo.outputPath('webrtc-1-lectern-source-moved.png') });
  await b.screenshot({ path: testInfo.outputPath('webrtc-1-laptop-destination-running.png') });
  let last = await waitForCountAbove(b, vmId, before + 20);
  let seq = counts(await terminalText(b, vmId));
  expect(seq[0]).toBe(0);
  expectConsecutive(seq);

  // Typing in the other browser reaches the guest.
  await interrupt(b, vmId);
  await typeInto(b, 'echo over-webrtc-$((6*7))');
  await expect.poll(async () => (await terminalText(b, vmId)).split('\n').map((l) => l.trim()), { timeout: 30_000 }).toContain('over-webrtc-42');

  // And back, still counting.
  await typeInto(b, LOOP);
  last = await waitForCountAbove(b, vmId, 10);
  await sendTo(b, 'Lectern');
  vmId = await arrived(a, 'Laptop');
  await departed(b, 'Lectern');
  await waitForCountAbove(a, vmId, last + 10);
  seq = counts(await terminalText(a, vmId));
  expectConsecutive(seq.slice(seq.lastIndexOf(0)));
  await a.screenshot({ path: testInfo.outputPath('webrtc-2-lectern-back.png') });

  // Disconnecting: the other browser's tab leaves both lists, and the VM stays where it is.
  await b.getByTestId('remote-link').getByRole('button', { name: 'Disconnect' }).click();
  await expect(a.locator('[data-testid="peer-tab"][data-remote="true"]')).toHaveCount(0, { timeout: 20_000 });
  await expect(a.getByTestId('link-closed')).toBeVisible({ timeout: 20_000 });
  await expect(liveCard(a)).toHaveAttribute('data-state', 'running');
  await lectern.close();
  await laptop.close();
});

test('an invitation link opens the app in the other browser with the code filled in, ready to answer', async ({ browser }) => {
  const one = await browser.newContext();
  const two = await browser.newContext();
  const a = await one.newPage();
  await openTab(a, 'Lectern', false);
  await a.getByTestId('invite').click();
  const code = await a.getByTestId('invite-code').inputValue();
  const link = await a.getByTestId('invite-link').inputValue();
  expect(new URL(link).hash).toBe(`#${code}`);
  const b = await two.newPage();
  await b.goto(link);
  await expect(b.getByTestId('join-input')).toHaveValue(code);
  await expect(b.getByTestId('vm-card')).toHaveCount(0); // boot=0: it does not start a VM of its own
  expect(new URL(b.url()).hash).toBe(''); // a reload would not offer the used code again
  await b.getByTestId('make-reply').click();
  await a.getByTestId('reply-input').fill(await b.getByTestId('reply-code').inputValue());
  await a.getByTestId('accept-reply').click();
  await expect(a.getByTestId('link-open')).toBeVisible({ timeout: 30_000 });
  await expect(b.getByTestId('link-open')).toBeVisible({ timeout: 30_000 });
  await one.close();
  await two.close();
});
