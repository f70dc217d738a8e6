/**
 * The destination side of a live migration as a synchronous state machine (no I/O, time is an
 * argument). It pushes DATA into one StreamLoader; when the loader has the configuration it
 * asks the host to build a machine (not started) and answers ACCEPT, or REFUSE with the
 * host's reason; RAM lands as it arrives, and every DATA is answered with a PROGRESS telling the
 * source how many stream bytes are loaded (it switches over only once nothing is waiting here); on END the loader loads the device sections and
 * runs the machine-wide afterLoad, and the session answers LOADED; on GO the machine is the
 * host's to run (`takeMachine`).
 *
 * A machine is handed out to run only after GO: on any error before LOADED (a stream the
 * loader refuses, a corrupted message, CANCEL or ERROR from the source, the channel closing, a
 * timeout) the session discards what it built and tells the source why when it still can.
 *
 * Between LOADED and GO the outcome is in doubt here. The source lets go of its VM when LOADED
 * arrives and then sends GO; if instead the channel closes, the source goes silent or GO
 * arrives damaged, this end cannot tell whether the source got LOADED (it let go: the VM
 * exists only here) or not (it resumed its guest). Discarding would lose the VM in the first
 * case, running it would make two in the second, so the session keeps the machine, not
 * running ('in-doubt', `takeInDoubt`), for a person to resume once the source's side shows
 * it let go. Only CANCEL or ERROR from the source itself says for sure that it kept the VM.
 */
import { decodeMessage, encodeProgress, encodeReason, encodeSignal, kindName, MessageKind } from './protocol.ts';
import { StreamLoader, type LoadTarget, type Refusal, type StreamConfiguration, type StreamError } from './stream/index.ts';

export interface DestinationHost<M> {
  /** Builds a machine for the configuration (it will be overwritten by the stream, not run), or refuses with a reason. */
  build(config: StreamConfiguration): { readonly machine: M; readonly target: LoadTarget } | Refusal;
  /** A machine that will never run (the migration failed): release what it holds. */
  discard?(machine: M): void;
}

export interface DestinationOptions {
  /** Longest silence from the source while a migration is under way, ms (default 30 000). */
  idleTimeoutMs?: number;
}

export type DestinationStatus = 'waiting' | 'loading' | 'loaded' | 'running' | 'failed' | 'in-doubt';

export class DestinationSession<M> {
  private readonly outbox: Uint8Array[] = [];
  private readonly loader: StreamLoader;
  private readonly idleTimeoutMs: number;
  private state: DestinationStatus = 'waiting';
  private machine: M | undefined;
  private built: M | undefined;
  private refusal: string | undefined;
  private lastHeard: number | undefined;
  private failure: string | undefined;
  /** Stream bytes received. */
  bytes = 0;
  /**
   * True after a `receive` whose message (a DATA) the loader has done with: it copied what it
   * needed and keeps no view of it, so the transport may hand the buffer back for reuse.
   */
  inputReleased = false;

  constructor(
    private readonly host: DestinationHost<M>,
    options: DestinationOptions = {},
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.loader = new StreamLoader({
      configure: (config) => {
        const r = this.host.build(config);
        if ('refuse' in r) {
          this.refusal = r.refuse;
          return r;
        }
        this.built = r.machine;
        return r.target;
      },
    });
  }

  get status(): DestinationStatus {
    return this.state;
  }

  /** Why the migration failed here, once `status` is 'failed'. */
  get error(): string | undefined {
    return this.failure;
  }

  get done(): boolean {
    return this.state === 'running' || this.state === 'failed' || this.state === 'in-doubt';
  }

  takeOutgoing(): Uint8Array[] {
    return this.outbox.splice(0, this.outbox.length);
  }

  /** The loaded machine, once the source said GO (once; undefined before and after). */
  takeMachine(): M | undefined {
    const m = this.machine;
    this.machine = undefined;
    return m;
  }

  /** The loaded machine whose GO never came, once `status` is 'in-doubt' (once): not to be run unless the source let go. */
  takeInDoubt(): M | undefined {
    if (this.state !== 'in-doubt') return undefined;
    const m = this.built;
    this.built = undefined;
    return m;
  }

  receive(bytes: Uint8Array, now: number): void {
    this.inputReleased = false;
    if (this.done) return;
    this.lastHeard = now;
    const m = decodeMessage(bytes);
    if (typeof m === 'string') return this.fail(`corrupted message from the source: ${m}`, true);
    switch (m.kind) {
      case MessageKind.DATA: {
        if (this.state !== 'waiting' && this.state !== 'loading') return this.fail(`DATA after the stream ended`, true);
        this.bytes += m.data.length;
        // The loader may keep the chunk until it has parsed it: received messages are ours (not reused).
        const err = this.loader.push(m.data);
        if (err !== undefined) return this.streamFailed(err);
        this.inputReleased = !this.loader.retainsInput;
        if (this.state === 'waiting' && this.built !== undefined) {
          this.state = 'loading';
          this.outbox.push(encodeSignal(MessageKind.ACCEPT));
        }
        this.outbox.push(encodeProgress(this.bytes));
        return;
      }
      case MessageKind.END: {
        if (this.state !== 'loading') return this.fail(`END in state ${this.state}`, true);
        const r = this.loader.finish();
        if (!r.ok) return this.streamFailed(r.error);
        this.state = 'loaded';
        this.outbox.push(encodeSignal(MessageKind.LOADED));
        return;
      }
      case MessageKind.GO:
        if (this.state !== 'loaded') return this.fail(`GO in state ${this.state}`, true);
        this.state = 'running';
        this.machine = this.built;
        this.built = undefined;
        return;
      case MessageKind.CANCEL:
        return this.fail(`source cancelled: ${m.reason}`, false, true);
      case MessageKind.ERROR:
        return this.fail(`source failed: ${m.reason}`, false, true);
      default:
        return this.fail(`unexpected ${kindName(m.kind)} from the source`, true);
    }
  }

  closed(reason: string): void {
    if (!this.done) this.fail(`channel closed: ${reason}`, false);
  }

  /** Checks the idle timeout (call it while waiting). */
  tick(now: number): void {
    if (this.done || this.lastHeard === undefined) return;
    if (now - this.lastHeard > this.idleTimeoutMs) this.fail(`nothing from the source for ${this.idleTimeoutMs} ms`, true);
  }

  private streamFailed(e: StreamError): void {
    if (e.reason === 'refused' && this.refusal !== undefined) {
      this.outbox.push(encodeReason(MessageKind.REFUSE, this.refusal));
      return this.fail(`refused: ${this.refusal}`, false);
    }
    if (this.state === 'waiting') {
      this.outbox.push(encodeReason(MessageKind.REFUSE, e.message));
      return this.fail(`refused: ${e.message}`, false);
    }
    this.fail(`stream refused: ${e.message}`, true);
  }

  /** `fromSource`: the source itself said it keeps the VM (CANCEL, ERROR); otherwise, after LOADED, the outcome is in doubt. */
  private fail(reason: string, tellPeer: boolean, fromSource = false): void {
    if (tellPeer) this.outbox.push(encodeReason(MessageKind.ERROR, reason));
    this.failure = reason;
    if (this.state === 'loaded' && !fromSource) {
      this.state = 'in-doubt';
      return;
    }
    this.state = 'failed';
    const m = this.built;
    this.built = undefined;
    if (m !== undefined) this.host.discard?.(m);
  }
}
