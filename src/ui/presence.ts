/**
 * Tabs of the app find each other on the BroadcastChannel `tabvm-presence`: every tab
 * announces its id, its (editable) name and its VMs once a second and when they change; a
 * tab that stops announcing (closed, crashed) drops out of the others' lists after
 * PEER_EXPIRY_MS, at once when it says goodbye. The same channel carries the small control
 * messages of a migration between two tabs (see tab-migrations.ts); the VM's bytes never go
 * through it. Everything that arrives is checked before use: other pages of the origin can
 * post anything here.
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

  constructor(name: string, tabId = newTabId()) {
    this.tabId = tabId;
    this.tabName = name;
    this.channel = new BroadcastChannel(PRESENCE_CHANNEL);
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
    this.post({ ...body, type, from: this.tabId, to });
  }

  /** Says goodbye (the page is going away). */
  close(): void {
    clearInterval(this.timer);
    this.post({ type: 'bye', from: this.tabId });
    this.channel.close();
  }

  private announce(reply = false): void {
    this.post({ type: 'announce', from: this.tabId, tab: this.info, reply });
  }

  private post(m: Wire): void {
    try {
      this.channel.postMessage(m);
    } catch {
      // Closed while the page unloads: nothing to tell anyone.
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const m = data as Record<string, unknown>;
    if (!isString(m.from) || m.from === this.tabId || !isString(m.type)) return;
    if (m.type === 'announce') {
      const tab = parseTab(m.tab);
      if (!tab || tab.id !== m.from) return;
      const isNew = !this.peerMap.has(tab.id);
      this.peerMap.set(tab.id, { ...tab, seen: performance.now() });
      // A newcomer hears about us at once instead of a heartbeat later.
      if (isNew && m.reply !== true) this.announce(true);
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
