/**
 * Tabs find each other on the presence channel (Node's BroadcastChannel stands in for the
 * browser's): announcements, renames, VM lists, goodbyes, directed messages only for their
 * addressee, and junk from other pages ignored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Presence, PRESENCE_CHANNEL, type Directed } from './presence.ts';

const open: Presence[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function tab(name: string): Presence {
  const p = new Presence(name);
  open.push(p);
  return p;
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Presence', () => {
  it('two tabs see each other with names and VMs; a rename and a goodbye reach the other', async () => {
    const a = tab('Tab A');
    const b = tab('Tab B');
    await until(() => a.peers.length === 1 && b.peers.length === 1);
    expect(a.peers[0]!.name).toBe('Tab B');
    expect(b.peer(a.tabId)?.name).toBe('Tab A');
    a.setVms([{ id: 'vm1', name: 'VM 1', state: 'running' }]);
    await until(() => b.peer(a.tabId)?.vms.length === 1);
    b.rename('  Renamed  ');
    await until(() => a.peers[0]!.name === 'Renamed');
    b.close();
    open.splice(open.indexOf(b), 1);
    await until(() => a.peers.length === 0);
  });

  it('delivers directed messages only to their addressee and ignores junk', async () => {
    const a = tab('A');
    const b = tab('B');
    const c = tab('C');
    await until(() => a.peers.length === 2);
    const got: Record<string, Directed[]> = { a: [], b: [], c: [] };
    a.onDirected((m) => got.a!.push(m));
    b.onDirected((m) => got.b!.push(m));
    c.onDirected((m) => got.c!.push(m));
    const junk = new BroadcastChannel(PRESENCE_CHANNEL);
    junk.postMessage('hello');
    junk.postMessage({ type: 'announce', from: 'x', tab: { id: 'not-x', name: 'liar', vms: [] } });
    junk.postMessage({ type: 'announce', from: 'y', tab: { id: 'y', name: 'x'.repeat(500), vms: [] } });
    a.send(b.tabId, 'migrate-request', { vmId: 'vm1' });
    await until(() => got.b!.length === 1);
    junk.close();
    expect(got.b![0]).toMatchObject({ type: 'migrate-request', from: a.tabId, to: b.tabId, vmId: 'vm1' });
    expect(got.a).toEqual([]);
    expect(got.c).toEqual([]);
    expect(a.peers.map((p) => p.name).sort()).toEqual(['B', 'C']);
  });
});
