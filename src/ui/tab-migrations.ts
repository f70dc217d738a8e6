/**
 * Moving a VM between tabs, the page's side (the bytes go worker to worker, src/worker/migration.ts).
 *
 *   destination (B)                      source (A)
 *   drop / offer ──── migrate-request ──▶ check the one-time token and the VM
 *                ◀─── migrate-reply ───── ok and the VM's announcement (or a refusal in words)
 *   new worker fetches the images and    asks the broker for its port
 *   prepares the announced machine
 *   port from the broker (paired at once), or a BroadcastChannel; the worker listens on it
 *                ──── migrate-ready ───▶  (or migrate-cancel with the reason)
 *   worker.migrateIn                     worker.migrateOut ── progress, result ──▶ B's card
 *
 * A drag carries `application/x-tabvm-vm` = {vmId, sourceTab, token}; "Send to tab…" makes A
 * send the same triple to B as a `migrate-offer`, so both paths share the request. Tokens are
 * random, single-use and expire. If either tab goes away the engine keeps the VM with its
 * owner; this module only reports what happened.
 *
 * Everything before migrate-ready is outside the migration's clock, so the channel is set up
 * there: the broker pairs the two ports as soon as the destination asks (the source asked when
 * it agreed), and the destination's worker listens before the source's worker sends a frame.
 *
 * A tab in another browser (a `remote` peer, reached over a WebRTC link) gets the same messages
 * over its link, and the VM's bytes go over a data channel of that link: the source opens it
 * when it agrees and hands it to its worker at once (`holdOutgoing`); the destination hands it
 * to its new worker as it arrives (`listenIncoming`), and says ready once it has both the
 * channel and the prepared machine.
 */
import type { MigrationStats } from '../migration/stats.ts';
import { connectPortBroker, newMigrationId, requestMigrationPort, sharedWorkerAvailable } from '../transport/index.ts';
import type { ChannelSpec } from '../worker/migration.ts';
import type { Directed, Presence } from './presence.ts';
import type { MigrationTransport as Transport, VmHandle } from './vm-handle.ts';
import type { VmList } from './vm-list.ts';

export const VM_DRAG_TYPE = 'application/x-tabvm-vm';

export interface DragPayload {
  readonly vmId: string;
  readonly sourceTab: string;
  readonly token: string;
}

/** How long a drag token stays valid. */
const TOKEN_TTL_MS = 60_000;
/** How long the destination waits for the source's answer. */
const REPLY_TIMEOUT_MS = 15_000;

export function parseDragPayload(text: string): DragPayload | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v.vmId === 'string' && typeof v.sourceTab === 'string' && typeof v.token === 'string') {
      return { vmId: v.vmId, sourceTab: v.sourceTab, token: v.token };
    }
  } catch {
    // Not ours.
  }
  return undefined;
}

function randomToken(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function channelSpec(kind: Exclude<Transport, 'rtc'>, id: string, pairingTimeoutMs?: number): Promise<ChannelSpec> {
  return kind === 'port' ? { kind, id, port: await requestMigrationPort(id, pairingTimeoutMs) } : { kind, id };
}

/** The label of a move's data channel on a WebRTC link. */
export const RTC_CHANNEL_PREFIX = 'tabvm-migrate-';

interface Outgoing {
  readonly vm: VmHandle;
  readonly peer: string;
  readonly via: Transport;
  /** This end of the channel, asked for when the source agreed (rejects if the destination never asks). */
  readonly spec: Promise<ChannelSpec>;
  /** The destination said ready and the engine runs the move (it alone ends it then). */
  started: boolean;
}

/** How long the source waits for the destination to prepare (fetch images, build the machine). */
const READY_TIMEOUT_MS = 120_000;
/** How long a destination waits for the source's data channel after preparing (it was opened before the reply). */
const RTC_CHANNEL_TIMEOUT_MS = 20_000;

interface Incoming {
  readonly vm: VmHandle;
  readonly source: string;
  readonly sourceName: string;
  readonly transport: Transport;
  answered: boolean;
  /** migrate-ready went out: from then on the engine ends the move, whatever the source's tab does. */
  ready: boolean;
  /** What the source's last progress said: it let go of the VM ('moved') or kept it ('kept'). */
  sourceOutcome?: 'moved' | 'kept';
  /** The VM loaded here but GO never came: held paused until the source's outcome is known (or a person decides). */
  inDoubt?: boolean;
  /** 'rtc': settles when the source's data channel is in this VM's worker. */
  readonly channel?: Deferred;
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(e: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

function withTimeout(p: Promise<void>, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms / 1000} s`)), ms);
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export class TabMigrations {
  private readonly tokens = new Map<string, { vmId: string; expires: number }>();
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly incoming = new Map<string, Incoming>();

  constructor(
    private readonly presence: Presence,
    private readonly list: VmList,
  ) {
    presence.onDirected((m) => this.receive(m));
    presence.onDataChannel((dc, peerId) => this.adoptDataChannel(dc, peerId));
    presence.subscribe(() => this.dropGonePeers());
    // The broker lives while a page holds a connection: start it now, not inside a migration.
    connectPortBroker();
  }

  /**
   * Source: a destination tab that went away while preparing will never say ready; its VM is
   * free again. Destination: a source tab that went away before the move started will never
   * send it; the empty card goes, with the reason (not the reply timeout's "did not answer").
   */
  private dropGonePeers(): void {
    for (const [id, o] of this.outgoing) if (!this.presence.peer(o.peer)) this.abandon(id);
    for (const [id, entry] of this.incoming) {
      if (!entry.ready && !this.presence.peer(entry.source)) this.giveUp(id, `${entry.sourceName} went away before ${entry.vm.name} could move here`);
    }
  }

  /** Source: forgets a move the destination has not said ready for; returns it, if there was one. */
  private abandon(id: string): Outgoing | undefined {
    const o = this.outgoing.get(id);
    if (!o || o.started) return undefined;
    this.outgoing.delete(id);
    o.spec.then(
      (spec) => {
        if (spec.kind === 'port') spec.port.close();
        if (spec.kind === 'held') void o.vm.dropOutgoing(id, 'the move was called off').catch(() => undefined);
      },
      () => undefined,
    );
    return o;
  }

  /** A one-time token for dragging or sending `vm`. */
  issueToken(vm: VmHandle): DragPayload {
    const token = randomToken();
    this.tokens.set(token, { vmId: vm.id, expires: performance.now() + TOKEN_TTL_MS });
    return { vmId: vm.id, sourceTab: this.presence.tabId, token };
  }

  /** True while `vm` is being sent somewhere. */
  busy(vm: VmHandle): boolean {
    for (const o of this.outgoing.values()) if (o.vm === vm) return true;
    return false;
  }

  /** "Send to tab…": offers `vm` to `peerId`, which asks for it as after a drop. */
  sendTo(vm: VmHandle, peerId: string): void {
    this.presence.send(peerId, 'migrate-offer', { ...this.issueToken(vm) });
  }

  /** A drop (or an offer) of another tab's VM here: asks the source for it. */
  request(p: DragPayload): void {
    if (p.sourceTab === this.presence.tabId) return;
    const source = this.presence.peer(p.sourceTab);
    if (!source) {
      this.list.notify('That VM’s tab is no longer open (or has not announced itself yet).');
      return;
    }
    const summary = source.vms.find((v) => v.id === p.vmId);
    const id = newMigrationId();
    const transport: Transport = source.remote === true ? 'rtc' : sharedWorkerAvailable() ? 'port' : 'broadcast';
    const vm = this.list.create({ name: summary?.name });
    vm.setMigration({ direction: 'in', peerName: source.name, status: 'connecting', iterations: [], via: transport });
    const entry: Incoming = { vm, source: source.id, sourceName: source.name, transport, answered: false, ready: false, channel: transport === 'rtc' ? deferred() : undefined };
    this.incoming.set(id, entry);
    this.presence.send(source.id, 'migrate-request', { vmId: p.vmId, token: p.token, migrationId: id, transport });
    setTimeout(() => {
      if (!entry.answered && this.incoming.get(id) === entry) this.giveUp(id, `${source.name} did not answer`);
    }, REPLY_TIMEOUT_MS);
  }

  private receive(m: Directed): void {
    const id = typeof m.migrationId === 'string' ? m.migrationId : '';
    switch (m.type) {
      case 'migrate-offer': {
        const { vmId, token, sourceTab } = m as unknown as DragPayload;
        if (typeof vmId === 'string' && typeof token === 'string' && sourceTab === m.from) this.request({ vmId, token, sourceTab });
        break;
      }
      case 'migrate-request':
        void this.onRequest(m, id);
        break;
      case 'migrate-reply':
        void this.onReply(m, id);
        break;
      case 'migrate-ready':
        void this.onReady(m, id);
        break;
      case 'migrate-cancel':
        this.onCancel(m, id);
        break;
      case 'migrate-progress':
        this.onProgress(m, id);
        break;
    }
  }

  /** Source: check the token and the VM, then answer with what the destination should prepare. */
  private async onRequest(m: Directed, id: string): Promise<void> {
    const refuse = (reason: string) => this.presence.send(m.from, 'migrate-reply', { migrationId: id, ok: false, reason });
    const token = typeof m.token === 'string' ? m.token : '';
    const grant = this.tokens.get(token);
    this.tokens.delete(token);
    const vm = grant ? this.list.find(grant.vmId) : undefined;
    const peer = this.presence.peer(m.from);
    if (!grant || grant.expires < performance.now() || grant.vmId !== m.vmId) return refuse('the drag token is unknown, used or expired');
    if (!vm || !peer) return refuse('the VM or the tab asking for it is gone');
    if (!/^[0-9a-f]{32}$/.test(id) || (m.transport !== 'port' && m.transport !== 'broadcast' && m.transport !== 'rtc')) return refuse('malformed request');
    // A tab of this browser uses this browser's channels; one in another browser, its link.
    const link = this.presence.linkTo(peer.id);
    if ((m.transport === 'rtc') !== (link !== undefined)) return refuse(`the ${m.transport} transport does not reach that tab`);
    const s = vm.status.runState;
    if (s !== 'running' && s !== 'paused') return refuse(`${vm.name} is ${s}, not running`);
    if (this.busy(vm)) return refuse(`${vm.name} is already moving`);
    let spec: Promise<ChannelSpec>;
    if (m.transport === 'rtc' && link) {
      // Made and handed to the worker in this task: a browser transfers a data channel only then.
      const channel = link.createDataChannel(RTC_CHANNEL_PREFIX + id);
      spec = vm.holdOutgoing({ kind: 'rtc', id, channel }).then((): ChannelSpec => ({ kind: 'held', id }));
    } else if (m.transport !== 'rtc') {
      spec = channelSpec(m.transport, id, READY_TIMEOUT_MS);
    } else {
      return refuse('no link to that tab');
    }
    spec.catch(() => undefined); // a destination that never asks is handled by the ready timeout
    this.outgoing.set(id, { vm, peer: peer.id, via: m.transport, spec, started: false });
    // A destination that never says ready must not keep the VM busy.
    setTimeout(() => this.abandon(id), READY_TIMEOUT_MS);
    const announcement = await vm.api.migrationAnnouncement().catch(() => undefined);
    this.presence.send(m.from, 'migrate-reply', { migrationId: id, ok: true, announcement });
  }

  /** Source: the destination could not prepare; the VM was never touched. */
  private onCancel(m: Directed, id: string): void {
    if (this.outgoing.get(id)?.peer !== m.from) return;
    const o = this.abandon(id);
    if (!o) return;
    const peerName = this.presence.peer(o.peer)?.name ?? 'the other tab';
    this.list.notify(`${o.vm.name} stays here: ${peerName} cannot take it (${typeof m.reason === 'string' ? m.reason : 'no reason given'}).`);
  }

  /** Destination: the source agreed; fetch the images, say ready, receive. */
  private async onReply(m: Directed, id: string): Promise<void> {
    const entry = this.incoming.get(id);
    if (!entry || entry.source !== m.from || entry.answered) return;
    entry.answered = true;
    if (m.ok !== true) return this.giveUp(id, `${entry.sourceName} refused: ${typeof m.reason === 'string' ? m.reason : 'no reason given'}`);
    entry.vm.setMigration({ direction: 'in', peerName: entry.sourceName, status: 'preparing', iterations: [], via: entry.transport });
    const prepared = await entry.vm.api.prepareIncoming(m.announcement).catch((e: unknown) => ({
      ok: false as const,
      reason: e instanceof Error ? e.message : String(e),
    }));
    if (this.incoming.get(id) !== entry) return; // given up meanwhile (the source's tab went away)
    if (!prepared.ok) {
      this.presence.send(entry.source, 'migrate-cancel', { migrationId: id, reason: prepared.reason });
      return this.giveUp(id, `cannot take ${entry.vm.name} from ${entry.sourceName}: ${prepared.reason}`);
    }
    entry.vm.setMigration({ ...entry.vm.status.migration!, preparedMs: prepared.preparedMs });
    try {
      if (entry.transport === 'rtc') await withTimeout(entry.channel!.promise, RTC_CHANNEL_TIMEOUT_MS, 'the data channel');
      else await entry.vm.listenIncoming(await channelSpec(entry.transport, id));
    } catch (e) {
      const reason = `no channel to ${entry.sourceName}: ${e instanceof Error ? e.message : String(e)}`;
      this.presence.send(entry.source, 'migrate-cancel', { migrationId: id, reason });
      return this.giveUp(id, `cannot take ${entry.vm.name}: ${reason}`);
    }
    if (this.incoming.get(id) !== entry) return;
    entry.ready = true;
    this.presence.send(entry.source, 'migrate-ready', { migrationId: id });
    try {
      const r = await entry.vm.migrateIn(entry.sourceName);
      // On success the entry stays: the source's last progress message (with the downtime) may still come.
      if (!r.ok && r.inDoubt) {
        entry.inDoubt = true;
        if (entry.sourceOutcome !== undefined) this.settleInDoubt(id, entry.sourceOutcome);
        else this.list.notify(`${entry.vm.name} arrived from ${entry.sourceName} but the hand-over was not confirmed: it is paused here. See its card.`, 'info');
      } else if (!r.ok) {
        this.giveUp(id, `moving ${entry.vm.name} from ${entry.sourceName} failed: ${r.reason}`);
      }
    } catch (e) {
      this.giveUp(id, `moving ${entry.vm.name} from ${entry.sourceName} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Source: the destination is ready; migrate and forward progress to it. */
  private async onReady(m: Directed, id: string): Promise<void> {
    const o = this.outgoing.get(id);
    if (!o || o.peer !== m.from || o.started) return;
    o.started = true;
    const peerName = this.presence.peer(o.peer)?.name ?? 'the other tab';
    const forward = () => {
      const mig = o.vm.status.migration;
      if (mig) this.presence.send(o.peer, 'migrate-progress', { migrationId: id, status: mig.status, stats: mig.stats, iterations: mig.iterations });
    };
    const unsubscribe = o.vm.subscribe(forward);
    let stats: MigrationStats | undefined;
    try {
      stats = await o.vm.migrateOut(await o.spec, peerName, o.via);
    } catch (e) {
      o.vm.setMigration({ direction: 'out', peerName, status: 'failed', iterations: [], error: e instanceof Error ? e.message : String(e) });
    } finally {
      unsubscribe();
      forward();
      this.outgoing.delete(id);
    }
    if (stats && stats.status !== 'completed') this.list.notify(`${o.vm.name} stays here: moving it to ${peerName} failed (${stats['error-desc'] ?? stats.status}).`);
  }

  /**
   * Destination: a data channel a tab in another browser opened for a move to here. It goes to
   * the incoming VM's worker in this task (the only time a browser allows it), or is closed.
   * Returns whether it was a move's channel.
   */
  private adoptDataChannel(dc: RTCDataChannel, peerId: string): boolean {
    if (!dc.label.startsWith(RTC_CHANNEL_PREFIX)) return false;
    const id = dc.label.slice(RTC_CHANNEL_PREFIX.length);
    const entry = this.incoming.get(id);
    if (!entry || entry.source !== peerId || entry.transport !== 'rtc') {
      dc.close();
      return true;
    }
    entry.vm.listenIncoming({ kind: 'rtc', id, channel: dc }).then(
      () => entry.channel!.resolve(),
      (e: unknown) => entry.channel!.reject(e instanceof Error ? e : new Error(String(e))),
    );
    return true;
  }

  /** Destination: show the source's progress on the incoming card. */
  private onProgress(m: Directed, id: string): void {
    const entry = this.incoming.get(id);
    if (!entry || entry.source !== m.from) return;
    if (m.status === 'completed') entry.sourceOutcome = 'moved';
    else if (m.status === 'failed' || m.status === 'cancelled') entry.sourceOutcome = 'kept';
    if (entry.inDoubt && entry.sourceOutcome !== undefined) return this.settleInDoubt(id, entry.sourceOutcome, m.stats as MigrationStats | undefined);
    const mig = entry.vm.status.migration;
    if (!mig || mig.status === 'failed') return;
    const stats = m.stats as MigrationStats | undefined;
    const iterations = Array.isArray(m.iterations) ? (m.iterations as MigrationStats['iterations']) : mig.iterations;
    const status = typeof m.status === 'string' ? (m.status as NonNullable<typeof mig.status>) : mig.status;
    entry.vm.setMigration({ ...mig, status, stats, iterations });
  }

  /**
   * Destination: the source said how the move ended for it, for a VM held here in doubt. It
   * let go: this is now the only copy, so it runs. It kept the VM: this copy goes.
   */
  private settleInDoubt(id: string, outcome: 'moved' | 'kept', stats?: MigrationStats): void {
    const entry = this.incoming.get(id);
    if (!entry?.inDoubt) return;
    entry.inDoubt = false;
    if (outcome === 'kept') return this.giveUp(id, `${entry.sourceName} kept ${entry.vm.name} (the move did not finish there); the copy that arrived here is closed`);
    const mig = entry.vm.status.migration!;
    entry.vm.setMigration({ ...mig, status: 'completed', error: undefined, ...(stats ? { stats, iterations: stats.iterations } : {}) });
    void entry.vm.resume();
    this.list.notify(`${entry.sourceName} confirmed it let go of ${entry.vm.name}: it runs here now.`, 'info');
  }

  /** Destination: the VM is not coming; drop the empty card and say why. */
  private giveUp(id: string, reason: string): void {
    const entry = this.incoming.get(id);
    this.incoming.delete(id);
    if (entry) this.list.close(entry.vm);
    this.list.notify(reason);
  }
}
