/**
 * Tabs of the app find each other on the BroadcastChannel `tabvm-presence`: every tab
 * announces its id, its (editable) name and its VMs once a second and when they change; a
 * tab that stops announcing (closed, crashed) drops out of the others' lists after
 * PEER_EXPIRY_MS, at once when it says goodbye. The same channel carries the small control
 * messages of a migration between two tabs (see tab-migrations.ts); the VM's bytes never go
 * through it. Everything that arrives is checked before use: other pages of the origin can
 * post anything here.
 *
 * Tabs in other browsers join through links (rtc-link.ts, a WebRTC connection set up by hand):
 * the same messages go over the link, and the tab at its other end is a peer marked `remote`.
 * A link speaks for one tab only: the first tab it announces; anything it sends in another
 * tab's name, or in the name of a tab of this browser, is ignored.
 */

export const PRESENCE_CHANNEL = 'tabvm-presence';
export const HEARTBEAT_MS = 1000;
/** A tab unheard of for this long is gone (several missed heartbeats: busy tabs are slow). */
export const PEER_EXPIRY_MS = 5000;

export interface VmSummary {
  readonly id: string;
  readonly name: string;
  readonly state: string;
}

export interface TabInfo {
  readonly id: string;
  readonly name: string;
  readonly vms: readonly VmSummary[];
}

export interface Peer extends TabInfo {
  /** Host ms when last heard from. */
  readonly seen: number;
  /** In another browser, reached over a link (WebRTC) rather than this browser's BroadcastChannel. */
  readonly remote?: boolean;
}

/** A connection to one tab in another browser that carries presence and control messages (rtc-link.ts). */
export interface PresenceLink {
  readonly open: boolean;
  send(message: unknown): void;
  onMessage(handler: (data: unknown) => void): void;
  onOpen(handler: () => void): void;
  onClose(handler: (reason: string) => void): void;
  /** Data channels the other tab opens for moves; the handler must transfer or close each before returning. */
  onDataChannel(handler: (dc: RTCDataChannel) => void): void;
  createDataChannel(label: string): RTCDataChannel;
}

/** Control messages addressed to one tab (`to`); `from` is the sender's tab id. */
export interface Directed {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly [key: string]: unknown;
}

type Wire = { type: 'announce'; from: string; tab: TabInfo; reply?: boolean } | { type: 'bye'; from: string } | Directed;

function isString(v: unknown, max = 200): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function parseTab(v: unknown): TabInfo | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const t = v as Record<string, unknown>;
  if (!isString(t.id) || !isString(t.name) || !Array.isArray(t.vms)) return undefined;
  const vms: VmSummary[] = [];
  for (const vm of t.vms as unknown[]) {
    const o = vm as Record<string, unknown> | null;
    if (o && isString(o.id) && isString(o.name) && typeof o.state === 'string') vms.push({ id: o.id, name: o.name, state: o.state });
  }
  return { id: t.id, name: t.name, vms };
}

/** A random tab id (hex). */
export function newTabId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export class Presence {
  readonly tabId: string;
  private tabName: string;
  private vms: readonly VmSummary[] = [];
  private readonly channel: BroadcastChannel;
  private readonly peerMap = new Map<string, Peer>();
  private peerList: readonly Peer[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly handlers = new Set<(m: Directed) => void>();
  private readonly timer: ReturnType<typeof setInterval>;
  /** Links to other browsers, each with the id of the tab it speaks for (once it announced one). */
  private readonly links = new Map<PresenceLink, string | undefined>();
  private readonly peerLinks = new Map<string, PresenceLink>();
  private readonly channelHandlers = new Set<(dc: RTCDataChannel, peerId: string) => boolean>();

  /** `channelName`: tests give two Presences different names to stand for two browsers. */
  constructor(name: string, tabId = newTabId(), channelName = PRESENCE_CHANNEL) {
    this.tabId = tabId;
    this.tabName = name;
    this.channel = new BroadcastChannel(channelName);
    this.channel.onmessage = (e: MessageEvent) => this.receive(e.data);
    this.timer = setInterval(() => {
      this.announce();
      this.expire();
    }, HEARTBEAT_MS);
    this.announce();
  }

  get name(): string {
    return this.tabName;
  }

  get info(): TabInfo {
    return { id: this.tabId, name: this.tabName, vms: this.vms };
  }

  /** The other tabs, in the order they were first heard. */
  get peers(): readonly Peer[] {
    return this.peerList;
  }

  peer(id: string): Peer | undefined {
    return this.peerMap.get(id);
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getPeers = (): readonly Peer[] => this.peerList;

  rename(name: string): void {
    const trimmed = name.trim().slice(0, 60);
    if (!trimmed || trimmed === this.tabName) return;
    this.tabName = trimmed;
    this.announce();
    this.notify();
  }

  setVms(vms: readonly VmSummary[]): void {
    if (JSON.stringify(vms) === JSON.stringify(this.vms)) return;
    this.vms = vms;
    this.announce();
  }

  /** Handles control messages addressed to this tab. */
  onDirected(handler: (m: Directed) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  send(to: string, type: string, body: Record<string, unknown> = {}): void {
    const m: Directed = { ...body, type, from: this.tabId, to };
    const link = this.peerLinks.get(to);
    if (link) link.send(m);
    else this.post(m);
  }

  /** Adds a link to a tab in another browser: it becomes a peer once it announces itself, and leaves when the link closes. */
  addLink(link: PresenceLink): void {
    this.links.set(link, undefined);
    link.onMessage((data) => this.receiveLinked(data, link));
    link.onOpen(() => link.send(this.announcement(false)));
    link.onClose(() => {
      const id = this.links.get(link);
      this.links.delete(link);
      if (id === undefined) return;
      this.peerLinks.delete(id);
      if (this.peerMap.delete(id)) this.update();
    });
    link.onDataChannel((dc) => {
      const id = this.links.get(link);
      let taken = false;
      if (id !== undefined) for (const h of this.channelHandlers) taken ||= h(dc, id);
      if (!taken) dc.close();
    });
    if (link.open) link.send(this.announcement(false));
  }

  /** The link to `peerId`, if that tab is in another browser. */
  linkTo(peerId: string): PresenceLink | undefined {
    return this.peerLinks.get(peerId);
  }

  /**
   * Data channels a remote tab opens (for a move, a benchmark), with that tab's id. A handler
   * that takes one transfers it before returning and returns true; a channel nobody takes is closed.
   */
  onDataChannel(handler: (dc: RTCDataChannel, peerId: string) => boolean): () => void {
    this.channelHandlers.add(handler);
    return () => this.channelHandlers.delete(handler);
  }

  /** Says goodbye (the page is going away). */
  close(): void {
    clearInterval(this.timer);
    this.post({ type: 'bye', from: this.tabId });
    for (const link of this.links.keys()) link.send({ type: 'bye', from: this.tabId });
    this.channel.close();
  }

  private announcement(reply: boolean): Wire {
    return { type: 'announce', from: this.tabId, tab: this.info, reply };
  }

  private announce(reply = false): void {
    const m = this.announcement(reply);
    this.post(m);
    for (const link of this.links.keys()) link.send(m);
  }

  private post(m: Wire): void {
    try {
      this.channel.postMessage(m);
    } catch {
      // Closed while the page unloads: nothing to tell anyone.
    }
  }

  private receive(data: unknown): void {
    const m = this.parse(data);
    // A tab of another browser speaks only over its link.
    if (m && !this.peerLinks.has(m.from)) this.handle(m, undefined);
  }

  private receiveLinked(data: unknown, link: PresenceLink): void {
    const m = this.parse(data);
    if (!m || !this.links.has(link)) return;
    const bound = this.links.get(link);
    if (bound === undefined) {
      // The first announcement binds the link to its tab, unless that id is a tab of this browser.
      if (m.type !== 'announce' || (this.peerMap.has(m.from) && !this.peerLinks.has(m.from))) return;
      this.links.set(link, m.from);
      this.peerLinks.set(m.from, link);
    } else if (m.from !== bound) {
      return;
    }
    this.handle(m, link);
  }

  private parse(data: unknown): (Record<string, unknown> & { from: string; type: string }) | undefined {
    if (typeof data !== 'object' || data === null) return undefined;
    const m = data as Record<string, unknown>;
    if (!isString(m.from) || m.from === this.tabId || !isString(m.type)) return undefined;
    return m as Record<string, unknown> & { from: string; type: string };
  }

  private handle(m: Record<string, unknown> & { from: string; type: string }, link: PresenceLink | undefined): void {
    if (m.type === 'announce') {
      const tab = parseTab(m.tab);
      if (!tab || tab.id !== m.from) return;
      const isNew = !this.peerMap.has(tab.id);
      this.peerMap.set(tab.id, link ? { ...tab, seen: performance.now(), remote: true } : { ...tab, seen: performance.now() });
      // A newcomer hears about us at once instead of a heartbeat later.
      if (isNew && m.reply !== true) {
        // Only where it came from: this tab's other links heard the last heartbeat.
        if (link) link.send(this.announcement(true));
        else this.post(this.announcement(true));
      }
      this.update();
    } else if (m.type === 'bye') {
      if (this.peerMap.delete(m.from)) this.update();
    } else if (m.to === this.tabId) {
      for (const h of this.handlers) h(m as unknown as Directed);
    }
  }

  private expire(): void {
    const now = performance.now();
    let changed = false;
    for (const [id, p] of this.peerMap) {
      if (now - p.seen > PEER_EXPIRY_MS) {
        this.peerMap.delete(id);
        changed = true;
      }
    }
    if (changed) this.update();
  }

  private update(): void {
    this.peerList = [...this.peerMap.values()];
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
