/**
 * Tabs find each other on the presence channel (Node's BroadcastChannel stands in for the
 * browser's): announcements, renames, VM lists, goodbyes, directed messages only for their
 * addressee, and junk from other pages ignored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Presence, PRESENCE_CHANNEL, type Directed, type PresenceLink } from './presence.ts';

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

/** Two ends of a link between browsers, in memory: JSON text both ways, as over a data channel. */
function linkPair(): [FakeLink, FakeLink] {
  const a = new FakeLink();
  const b = new FakeLink();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class FakeLink implements PresenceLink {
  open = false;
  peer: FakeLink | undefined;
  readonly messages = new Set<(data: unknown) => void>();
  readonly opens = new Set<() => void>();
  readonly closes = new Set<(reason: string) => void>();
  readonly channels = new Set<(dc: RTCDataChannel) => void>();
  send(message: unknown): void {
    const text = JSON.stringify(message);
    const peer = this.peer!;
    setTimeout(() => peer.open && peer.messages.forEach((h) => h(JSON.parse(text))), 0);
  }
  onMessage(h: (data: unknown) => void): void {
    this.messages.add(h);
  }
  onOpen(h: () => void): void {
    this.opens.add(h);
  }
  onClose(h: (reason: string) => void): void {
    this.closes.add(h);
  }
  onDataChannel(h: (dc: RTCDataChannel) => void): void {
    this.channels.add(h);
  }
  createDataChannel(label: string): RTCDataChannel {
    const dc = { label, closed: false, close() { this.closed = true; } };
    this.peer!.channels.forEach((h) => h(dc as unknown as RTCDataChannel));
    return dc as unknown as RTCDataChannel;
  }
  connect(): void {
    for (const end of [this, this.peer!]) {
      end.open = true;
      end.opens.forEach((h) => h());
    }
  }
  disconnect(): void {
    for (const end of [this, this.peer!]) {
      end.open = false;
      end.closes.forEach((h) => h('gone'));
    }
  }
}

describe('Presence across browsers (a link)', () => {
  /** A tab in "browser" `browser`: tabs of different browsers share no BroadcastChannel. */
  function tabIn(browser: string, name: string): Presence {
    const p = new Presence(name, undefined, `test-presence-${browser}`);
    open.push(p);
    return p;
  }

  it('tabs at both ends see each other as remote peers; directed messages, renames and the end of the link reach the other', async () => {
    const a = tabIn('one', 'Lectern');
    const b = tabIn('two', 'Laptop');
    const [la, lb] = linkPair();
    a.addLink(la);
    b.addLink(lb);
    la.connect();
    await until(() => a.peers.length === 1 && b.peers.length === 1);
    expect(a.peers[0]).toMatchObject({ id: b.tabId, name: 'Laptop', remote: true });
    expect(b.peers[0]).toMatchObject({ id: a.tabId, name: 'Lectern', remote: true });
    expect(a.linkTo(b.tabId)).toBe(la);
    const got: Directed[] = [];
    b.onDirected((m) => got.push(m));
    a.send(b.tabId, 'migrate-offer', { vmId: 'vm1' });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ type: 'migrate-offer', from: a.tabId, to: b.tabId, vmId: 'vm1' });
    b.rename('Back row');
    await until(() => a.peers[0]?.name === 'Back row');
    la.disconnect();
    await until(() => a.peers.length === 0 && b.peers.length === 0);
    expect(a.linkTo(b.tabId)).toBeUndefined();
  });

  it('a link speaks for one tab only: not for another, and not for a tab of this browser', async () => {
    const a = tabIn('three', 'A');
    const local = tabIn('three', 'Local');
    await until(() => a.peers.length === 1);
    const [la, lb] = linkPair();
    a.addLink(la);
    lb.open = true;
    la.open = true;
    const vms = [{ id: 'vm', name: 'VM', state: 'running' }];
    // Claims the id of a tab of this browser: not bound, not a peer.
    lb.send({ type: 'announce', from: local.tabId, tab: { id: local.tabId, name: 'Impostor', vms } });
    await new Promise((r) => setTimeout(r, 30));
    expect(a.peer(local.tabId)).toMatchObject({ name: 'Local' });
    expect(a.peer(local.tabId)?.remote).toBeUndefined();
    // Its own tab: bound.
    lb.send({ type: 'announce', from: 'remote-1', tab: { id: 'remote-1', name: 'Remote', vms } });
    await until(() => a.peer('remote-1') !== undefined);
    // Then in the name of a third tab: ignored.
    lb.send({ type: 'announce', from: 'remote-2', tab: { id: 'remote-2', name: 'Other', vms } });
    const got: Directed[] = [];
    a.onDirected((m) => got.push(m));
    lb.send({ type: 'migrate-request', from: 'remote-2', to: a.tabId });
    lb.send({ type: 'migrate-request', from: 'remote-1', to: a.tabId });
    await until(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(a.peer('remote-2')).toBeUndefined();
    expect(got.map((m) => m.from)).toEqual(['remote-1']);
  });

  it('hands data channels from a known remote tab to the handlers, and closes those nobody takes or from an unknown tab', async () => {
    const a = tabIn('four', 'A');
    const b = tabIn('five', 'B');
    const [la, lb] = linkPair();
    a.addLink(la);
    b.addLink(lb);
    const seen: [string, string][] = [];
    b.onDataChannel((dc, peer) => (seen.push([dc.label, peer]), dc.label !== 'not-for-anyone'));
    // Before the link's tab announced itself: closed.
    la.open = lb.open = true;
    const early = la.createDataChannel('tabvm-migrate-early') as unknown as { closed: boolean };
    expect(early.closed).toBe(true);
    la.open = lb.open = false;
    la.connect();
    await until(() => b.peers.length === 1);
    const taken = la.createDataChannel('tabvm-migrate-1') as unknown as { closed: boolean };
    expect(taken.closed).toBe(false);
    const untaken = la.createDataChannel('not-for-anyone') as unknown as { closed: boolean };
    expect(untaken.closed).toBe(true);
    expect(seen).toEqual([['tabvm-migrate-1', a.tabId], ['not-for-anyone', a.tabId]]);
  });
});
