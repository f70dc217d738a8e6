/**
 * The page side of a move between tabs (tab-migrations.ts), with two tabs' presence wired to
 * each other in memory and VM workers faked: the source answers a request with its VM's
 * announcement; the destination prepares the announced machine before saying ready; a
 * destination that cannot prepare cancels with the reason, and the source's VM is free again.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Directed, Peer, Presence } from './presence.ts';
import { TabMigrations } from './tab-migrations.ts';
import type { VmHandle } from './vm-handle.ts';
import type { VmList } from './vm-list.ts';

type Handler = (m: Directed) => void;

/**
 * Two tabs whose directed messages reach each other (asynchronously, as over BroadcastChannel).
 * `remote`: they are in two browsers, joined by a link whose data channels reach the other
 * tab's handler at once, in the task that opened them (as a browser's 'datachannel' event).
 */
function twoTabs(remote = false, deliverChannels = true) {
  const handlers = new Map<string, Handler>();
  const channelHandlers = new Map<string, (dc: RTCDataChannel, peerId: string) => boolean>();
  const listeners: (() => void)[] = [];
  const gone = new Set<string>();
  const sent: Directed[] = [];
  const channels: { label: string; closed: boolean }[] = [];
  const tab = (id: string, name: string, other: () => Peer): Presence =>
    ({
      tabId: id,
      peer: (p: string) => (p === other().id && !gone.has(p) ? other() : undefined),
      subscribe: (l: () => void) => (listeners.push(l), () => undefined),
      onDirected: (h: Handler) => {
        handlers.set(id, h);
        return () => handlers.delete(id);
      },
      onDataChannel: (h: (dc: RTCDataChannel, peerId: string) => boolean) => {
        channelHandlers.set(id, h);
        return () => channelHandlers.delete(id);
      },
      linkTo: (p: string) =>
        remote && p === other().id
          ? {
              createDataChannel: (label: string) => {
                const dc = { label, closed: false, close: () => (dc.closed = true) };
                channels.push(dc);
                // Not delivered: a channel that never opens (the link broke as it was made).
                if (deliverChannels && channelHandlers.get(p)?.(dc as unknown as RTCDataChannel, id) !== true) dc.close();
                return dc as unknown as RTCDataChannel;
              },
            }
          : undefined,
      send: (to: string, type: string, body: Record<string, unknown> = {}) => {
        const m: Directed = { ...body, type, from: id, to };
        sent.push(m);
        queueMicrotask(() => handlers.get(to)?.(m));
      },
      name,
    }) as unknown as Presence;
  const a: Peer = { id: 'tab-a', name: 'Tab A', vms: [{ id: 'vm1', name: 'VM 1', state: 'running' }], seen: 0, ...(remote ? { remote } : {}) };
  const b: Peer = { id: 'tab-b', name: 'Tab B', vms: [], seen: 0, ...(remote ? { remote } : {}) };
  /** The tab stops announcing itself (closed, or expired): every peer list changes. */
  const close = (id: string) => {
    gone.add(id);
    handlers.delete(id);
    for (const l of listeners) l();
  };
  return { a: tab(a.id, a.name, () => b), b: tab(b.id, b.name, () => a), sent, close, channels, channelHandlers };
}

interface FakeVm {
  handle: VmHandle;
  prepareIncoming: ReturnType<typeof vi.fn>;
  listenIncoming: ReturnType<typeof vi.fn>;
  migrateOut: ReturnType<typeof vi.fn>;
  holdOutgoing: ReturnType<typeof vi.fn>;
  dropOutgoing: ReturnType<typeof vi.fn>;
  migrateIn: ReturnType<typeof vi.fn>;
  resume: ReturnType<typeof vi.fn>;
}

function fakeVm(id: string, prepared: { ok: true; preparedMs: number } | { ok: false; reason: string }): FakeVm {
  const prepareIncoming = vi.fn(() => Promise.resolve(prepared));
  // The moves themselves never finish here: they are the workers' business (src/worker/migration.test.ts).
  const listenIncoming = vi.fn((): Promise<void> => Promise.resolve());
  const migrateIn = vi.fn(() => new Promise(() => undefined));
  const migrateOut = vi.fn(() => new Promise(() => undefined));
  const holdOutgoing = vi.fn((): Promise<void> => Promise.resolve());
  const resume = vi.fn((): Promise<void> => Promise.resolve());
  const dropOutgoing = vi.fn((): Promise<void> => Promise.resolve());
  let migration: unknown;
  const handle = {
    id,
    name: 'VM 1',
    get status() {
      return { runState: 'running', migration };
    },
    setMigration: (m: unknown) => (migration = m),
    subscribe: () => () => undefined,
    listenIncoming,
    migrateIn,
    migrateOut,
    holdOutgoing,
    dropOutgoing,
    resume,
    api: { prepareIncoming, migrationAnnouncement: () => Promise.resolve({ ramSize: 1 << 28, machine: { board: 'virt' } }) },
  } as unknown as VmHandle;
  return { handle, prepareIncoming, listenIncoming, migrateOut, holdOutgoing, dropOutgoing, migrateIn, resume };
}

function fakeList(vms: VmHandle[], create?: () => VmHandle) {
  const notices: string[] = [];
  const closed: VmHandle[] = [];
  const list = {
    find: (id: string) => vms.find((v) => v.id === id),
    create: () => create!(),
    close: (vm: VmHandle) => closed.push(vm),
    notify: (text: string) => notices.push(text),
  } as unknown as VmList;
  return { list, notices, closed };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
};

/** Tab B asks tab A for `src`'s VM, into `dst`, and everything settles. */
async function requestMove(src: FakeVm, dst: FakeVm, tabs = twoTabs()) {
  const srcList = fakeList([src.handle]);
  const dstList = fakeList([], () => dst.handle);
  const a = new TabMigrations(tabs.a, srcList.list);
  const b = new TabMigrations(tabs.b, dstList.list);
  b.request(a.issueToken(src.handle));
  await settle();
  return { tabs, a, srcList, dstList };
}

describe('moving a VM between tabs, page side', () => {
  it('a destination tab that goes away while preparing does not keep the VM busy', async () => {
    const tabs = twoTabs();
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    dst.prepareIncoming.mockImplementation(() => new Promise(() => undefined)); // still preparing when its tab closes
    const a = new TabMigrations(tabs.a, fakeList([src.handle]).list);
    const b = new TabMigrations(tabs.b, fakeList([], () => dst.handle).list);
    b.request(a.issueToken(src.handle));
    await settle();
    expect(a.busy(src.handle)).toBe(true);
    tabs.close('tab-b');
    expect(a.busy(src.handle)).toBe(false);
    expect(src.migrateOut).not.toHaveBeenCalled();
  });

  it('a source tab that goes away while the destination prepares: the empty card goes, with the reason, and nothing is sent', async () => {
    const tabs = twoTabs();
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    let finishPreparing: (r: unknown) => void = () => undefined;
    dst.prepareIncoming.mockImplementation(() => new Promise((resolve) => (finishPreparing = resolve)));
    const a = new TabMigrations(tabs.a, fakeList([src.handle]).list);
    const dstList = fakeList([], () => dst.handle);
    const b = new TabMigrations(tabs.b, dstList.list);
    b.request(a.issueToken(src.handle));
    await settle();
    tabs.close('tab-a');
    expect(dstList.closed).toEqual([dst.handle]);
    expect(dstList.notices.join()).toMatch(/Tab A went away before VM 1 could move here/);
    finishPreparing({ ok: true, preparedMs: 42 });
    await settle();
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply']);
    expect(dst.listenIncoming).not.toHaveBeenCalled();
  });

  it('the source announces its VM and the destination prepares it before saying ready', async () => {
    const tabs = twoTabs();
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    const a = new TabMigrations(tabs.a, fakeList([src.handle]).list);
    const b = new TabMigrations(tabs.b, fakeList([], () => dst.handle).list);
    b.request(a.issueToken(src.handle));
    await settle();
    expect(dst.prepareIncoming).toHaveBeenCalledWith({ ramSize: 1 << 28, machine: { board: 'virt' } });
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-ready']);
    expect(dst.handle.status.migration).toMatchObject({ direction: 'in', preparedMs: 42 });
    expect(src.migrateOut).toHaveBeenCalledTimes(1);
    expect(a.busy(src.handle)).toBe(true);
  });

  it('a destination that cannot prepare cancels with the reason; the source keeps its VM, free to move again', async () => {
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: false, reason: 'kernel image vmlinux is not the snapshot’s' });
    const { tabs, a, srcList, dstList } = await requestMove(src, dst);
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-cancel']);
    expect(dstList.closed).toEqual([dst.handle]);
    expect(dstList.notices.join()).toMatch(/cannot take VM 1 from Tab A: kernel image/);
    expect(srcList.notices.join()).toMatch(/VM 1 stays here: Tab B cannot take it \(kernel image/);
    expect(src.migrateOut).not.toHaveBeenCalled();
    expect(a.busy(src.handle)).toBe(false);
  });

  it('the destination listens on the channel before it says ready (the source’s clock starts at ready)', async () => {
    const tabs = twoTabs();
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    const sentWhenListening: string[] = [];
    dst.listenIncoming.mockImplementation(() => {
      sentWhenListening.push(...tabs.sent.map((m) => m.type));
      return Promise.resolve();
    });
    await requestMove(src, dst, tabs);
    expect(dst.listenIncoming).toHaveBeenCalledTimes(1);
    expect(sentWhenListening).toEqual(['migrate-request', 'migrate-reply']);
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-ready']);
  });

  it('a destination whose worker cannot open the channel cancels with the reason; the source keeps its VM', async () => {
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    dst.listenIncoming.mockImplementation(() => Promise.reject(new Error('the worker is gone')));
    const { tabs, a, srcList, dstList } = await requestMove(src, dst);
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-cancel']);
    expect(dstList.notices.join()).toMatch(/cannot take VM 1: no channel to Tab A: the worker is gone/);
    expect(srcList.notices.join()).toMatch(/VM 1 stays here: Tab B cannot take it \(no channel to Tab A/);
    expect(src.migrateOut).not.toHaveBeenCalled();
    expect(a.busy(src.handle)).toBe(false);
  });
});

describe('moving a VM to a tab in another browser (over a WebRTC link), page side', () => {
  it('the bytes go over a data channel of the link, handed to each worker in the task that opened or received it', async () => {
    const tabs = twoTabs(true);
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    // Both workers get the channel before the source's tab hears anything more.
    const sentAtHold: string[][] = [];
    src.holdOutgoing.mockImplementation(() => (sentAtHold.push(tabs.sent.map((m) => m.type)), Promise.resolve()));
    await requestMove(src, dst, tabs);
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-ready']);
    const id = tabs.sent[0]!.migrationId as string;
    expect(tabs.sent[0]).toMatchObject({ transport: 'rtc' });
    expect(tabs.channels).toEqual([{ label: `tabvm-migrate-${id}`, closed: false, close: expect.any(Function) as unknown }]);
    expect(src.holdOutgoing).toHaveBeenCalledWith({ kind: 'rtc', id, channel: tabs.channels[0] });
    expect(sentAtHold).toEqual([['migrate-request']]);
    expect(dst.listenIncoming).toHaveBeenCalledWith({ kind: 'rtc', id, channel: tabs.channels[0] });
    expect(src.migrateOut).toHaveBeenCalledWith({ kind: 'held', id }, 'Tab B', 'rtc');
    expect(dst.handle.status.migration).toMatchObject({ via: 'rtc' });
  });

  it('a move\'s data channel nobody asked for, or from another tab than the source, is closed; other channels are left alone', async () => {
    const tabs = twoTabs(true);
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    dst.prepareIncoming.mockImplementation(() => new Promise(() => undefined)); // still preparing
    await requestMove(src, dst, tabs);
    const id = tabs.sent[0]!.migrationId as string;
    const deliver = (label: string, from: string) => {
      const dc = { label, closed: false, close: () => (dc.closed = true) };
      const taken = tabs.channelHandlers.get('tab-b')!(dc as unknown as RTCDataChannel, from);
      return { closed: dc.closed, taken };
    };
    expect(deliver('tabvm-migrate-' + '0'.repeat(32), 'tab-a')).toEqual({ closed: true, taken: true });
    expect(deliver(`tabvm-migrate-${id}`, 'tab-c')).toEqual({ closed: true, taken: true });
    // Not a move's channel: left to other handlers (presence closes it if none takes it).
    expect(deliver('something-else', 'tab-a')).toEqual({ closed: false, taken: false });
    expect(dst.listenIncoming).toHaveBeenCalledTimes(1); // only the source's own
  });

  it('a destination whose worker cannot take the data channel cancels; the source drops its held channel and keeps its VM', async () => {
    const tabs = twoTabs(true);
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    dst.listenIncoming.mockImplementation(() => Promise.reject(new Error('the worker is gone')));
    const { a, srcList } = await requestMove(src, dst, tabs);
    expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-cancel']);
    expect(srcList.notices.join()).toMatch(/VM 1 stays here: Tab B cannot take it \(no channel to Tab A: the worker is gone/);
    const id = tabs.sent[0]!.migrationId as string;
    expect(src.dropOutgoing).toHaveBeenCalledWith(id, expect.any(String));
    expect(src.migrateOut).not.toHaveBeenCalled();
    expect(a.busy(src.handle)).toBe(false);
  });

  it('a destination whose data channel never arrives cancels after 20 s with the reason; the source drops its held channel and keeps its VM', async () => {
    vi.useFakeTimers();
    try {
      const tabs = twoTabs(true, false);
      const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
      const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
      const srcList = fakeList([src.handle]);
      const dstList = fakeList([], () => dst.handle);
      const a = new TabMigrations(tabs.a, srcList.list);
      const b = new TabMigrations(tabs.b, dstList.list);
      b.request(a.issueToken(src.handle));
      await vi.advanceTimersByTimeAsync(19_900);
      // Prepared, waiting for the channel: nothing more is said yet, and the source's VM is still promised.
      expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply']);
      expect(dst.prepareIncoming).toHaveBeenCalledTimes(1);
      expect(a.busy(src.handle)).toBe(true);
      await vi.advanceTimersByTimeAsync(200);
      expect(tabs.sent.map((m) => m.type)).toEqual(['migrate-request', 'migrate-reply', 'migrate-cancel']);
      expect(dstList.notices.join()).toMatch(/cannot take VM 1: no channel to Tab A: the data channel did not arrive within 20 s/);
      expect(dstList.closed).toEqual([dst.handle]);
      expect(srcList.notices.join()).toMatch(/VM 1 stays here: Tab B cannot take it \(no channel to Tab A: the data channel did not arrive/);
      expect(src.dropOutgoing).toHaveBeenCalledWith(tabs.sent[0]!.migrationId, expect.any(String));
      expect(dst.listenIncoming).not.toHaveBeenCalled();
      expect(dst.migrateIn).not.toHaveBeenCalled();
      expect(src.migrateOut).not.toHaveBeenCalled();
      expect(a.busy(src.handle)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the source refuses a request whose transport does not reach the asking tab', async () => {
    for (const [remote, transport] of [[false, 'rtc'], [true, 'port']] as const) {
      const tabs = twoTabs(remote);
      const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
      const a = new TabMigrations(tabs.a, fakeList([src.handle]).list);
      new TabMigrations(tabs.b, fakeList([]).list);
      const token = a.issueToken(src.handle);
      tabs.b.send('tab-a', 'migrate-request', { vmId: 'vm1', token: token.token, migrationId: 'ab'.repeat(16), transport });
      await settle();
      expect(tabs.sent.at(-1)).toMatchObject({ type: 'migrate-reply', ok: false, reason: `the ${transport} transport does not reach that tab` });
      expect(src.holdOutgoing).not.toHaveBeenCalled();
    }
  });
});

describe('a VM that arrived but whose hand-over was not confirmed (in doubt), page side', () => {
  const IN_DOUBT = { ok: false, reason: 'channel closed: data channel closed', inDoubt: true };

  /** A move whose destination worker ends in doubt; `progress` is what the source's tab then says (or nothing). */
  async function inDoubtMove(progress: 'completed' | 'failed' | undefined, progressFirst = false) {
    const tabs = twoTabs();
    const src = fakeVm('vm1', { ok: true, preparedMs: 0 });
    const dst = fakeVm('vm2', { ok: true, preparedMs: 42 });
    let endIn: (r: unknown) => void = () => undefined;
    dst.migrateIn.mockImplementation(() => new Promise((resolve) => (endIn = resolve)));
    // As VmHandle.migrateIn does on an in-doubt result.
    const inDoubt = () => dst.handle.setMigration({ ...dst.handle.status.migration!, status: 'in-doubt', error: 'unconfirmed' });
    const { dstList } = await requestMove(src, dst, tabs);
    const id = tabs.sent[0]!.migrationId as string;
    const say = () => progress && tabs.a.send('tab-b', 'migrate-progress', { migrationId: id, status: progress, iterations: [] });
    if (progressFirst) say();
    await settle();
    inDoubt();
    endIn(IN_DOUBT);
    await settle();
    if (!progressFirst) say();
    await settle();
    return { dst, dstList };
  }

  it('the source then says it let go: the held VM resumes here, and the card says it arrived', async () => {
    for (const first of [false, true]) {
      const { dst, dstList } = await inDoubtMove('completed', first);
      expect(dst.resume, `progress first: ${first}`).toHaveBeenCalledTimes(1);
      expect(dst.handle.status.migration).toMatchObject({ status: 'completed' });
      expect(dstList.closed).toEqual([]);
      expect(dstList.notices.join()).toMatch(/Tab A confirmed it let go of VM 1: it runs here now/);
    }
  });

  it('the source then says it kept the VM: the copy here is closed, never run', async () => {
    for (const first of [false, true]) {
      const { dst, dstList } = await inDoubtMove('failed', first);
      expect(dst.resume, `progress first: ${first}`).not.toHaveBeenCalled();
      expect(dstList.closed).toEqual([dst.handle]);
      expect(dstList.notices.join()).toMatch(/Tab A kept VM 1/);
    }
  });

  it('no word from the source: the VM stays paused here, for a person to decide', async () => {
    const { dst, dstList } = await inDoubtMove(undefined);
    expect(dst.resume).not.toHaveBeenCalled();
    expect(dstList.closed).toEqual([]);
    expect(dst.handle.status.migration).toMatchObject({ status: 'in-doubt' });
    expect(dstList.notices.join()).toMatch(/hand-over was not confirmed: it is paused here/);
  });
});
