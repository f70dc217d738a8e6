/**
 * A WebRTC connection from this tab to a tab in another browser (or on another machine of the
 * same network), set up by hand: this tab's invitation code goes to the other browser, its
 * reply code comes back (signal-code.ts). No STUN or TURN server is used, so the two must reach
 * each other directly (one machine, or one LAN: host candidates, mDNS names in Chromium).
 *
 * The link carries two kinds of data channel:
 * - 'tabvm-control', opened by the inviter: presence announcements and the small control
 *   messages of a move, as text (control-codec.ts: the same messages tabs of one browser
 *   exchange on their BroadcastChannel, see presence.ts);
 * - one per move, 'tabvm-migrate-<id>': the VM's bytes. It goes into a VM's worker at once
 *   (`onDataChannel` handlers must transfer it synchronously; a browser refuses later).
 *
 * RTCPeerConnection exists only in windows, not in workers, so this lives in the page.
 */
import { decodeControl, encodeControl } from './control-codec.ts';
import { decodeSignal, encodeSignal } from './signal-code.ts';
import type { PresenceLink } from './presence.ts';

export const CONTROL_LABEL = 'tabvm-control';
/** Gathering ICE candidates usually takes milliseconds here; give up waiting after this and send what there is. */
const GATHER_TIMEOUT_MS = 5000;
/** Longest control message (a data channel message is at most 256 KiB in Chromium; ours are a few KiB). */
const MAX_CONTROL_CHARS = 256 * 1024;

export type LinkState = 'preparing' | 'waiting-for-reply' | 'waiting-for-connection' | 'open' | 'closed';

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

export class RtcLink implements PresenceLink {
  private control: RTCDataChannel | undefined;
  private linkState: LinkState = 'preparing';
  private closeReason = '';
  /** The code to show the user: this tab's invitation or reply. */
  code = '';
  /** The other tab's name, from its code. */
  peerName = '';
  private readonly messageHandlers = new Set<(data: unknown) => void>();
  private readonly openHandlers = new Set<() => void>();
  private readonly closeHandlers = new Set<(reason: string) => void>();
  private readonly channelHandlers = new Set<(dc: RTCDataChannel) => void>();
  private readonly changeHandlers = new Set<() => void>();

  private constructor(private readonly pc: RTCPeerConnection) {
    pc.addEventListener('datachannel', (e) => {
      if (e.channel.label === CONTROL_LABEL) this.adoptControl(e.channel);
      else if (this.channelHandlers.size === 0) e.channel.close();
      else for (const h of this.channelHandlers) h(e.channel);
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed') this.close('the connection failed (the browsers cannot reach each other directly)');
      else if (pc.connectionState === 'closed') this.close('the connection closed');
    });
  }

  /** This tab invites: makes the invitation code (`code`). */
  static async invite(tabName: string): Promise<RtcLink> {
    const link = new RtcLink(new RTCPeerConnection());
    link.adoptControl(link.pc.createDataChannel(CONTROL_LABEL, { ordered: true }));
    await link.pc.setLocalDescription(await link.pc.createOffer());
    await gathered(link.pc);
    link.code = encodeSignal({ kind: 'invite', sdp: link.pc.localDescription!.sdp, name: tabName });
    link.setState('waiting-for-reply');
    return link;
  }

  /** This tab joins with another browser's invitation: makes the reply code (`code`). Throws with the reason for a bad code. */
  static async join(invitation: string, tabName: string): Promise<RtcLink> {
    const offer = decodeSignal(invitation, 'invite');
    if ('error' in offer) throw new Error(offer.error);
    const link = new RtcLink(new RTCPeerConnection());
    link.peerName = offer.name;
    try {
      await link.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      await link.pc.setLocalDescription(await link.pc.createAnswer());
    } catch (e) {
      link.close('bad invitation');
      throw new Error(`the invitation cannot be used: ${e instanceof Error ? e.message : String(e)}`);
    }
    await gathered(link.pc);
    link.code = encodeSignal({ kind: 'reply', sdp: link.pc.localDescription!.sdp, name: tabName });
    if (link.linkState === 'preparing') link.setState('waiting-for-connection');
    return link;
  }

  /** The inviter takes the other browser's reply. Throws with the reason for a bad code. */
  async accept(reply: string): Promise<void> {
    if (this.linkState !== 'waiting-for-reply') throw new Error('this invitation was already answered');
    const answer = decodeSignal(reply, 'reply');
    if ('error' in answer) throw new Error(answer.error);
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    } catch (e) {
      throw new Error(`the reply cannot be used (is it the reply to this invitation?): ${e instanceof Error ? e.message : String(e)}`);
    }
    this.peerName = answer.name;
    // The control channel may have opened while the description was being applied: then it stays open.
    this.setState(this.linkState === 'waiting-for-reply' ? 'waiting-for-connection' : this.linkState);
  }

  get state(): LinkState {
    return this.linkState;
  }

  get open(): boolean {
    return this.linkState === 'open';
  }

  /** Why the link closed ('' while it is not closed). */
  get reason(): string {
    return this.closeReason;
  }

  send(message: unknown): void {
    if (this.control?.readyState !== 'open') return;
    const text = encodeControl(message);
    if (text.length > MAX_CONTROL_CHARS) {
      console.error(`tabvm: a control message of ${text.length} characters is too long for the link; not sent`, message);
      return;
    }
    try {
      this.control.send(text);
    } catch {
      // Closing: the close handlers say so.
    }
  }

  /** A new data channel for one move (ordered and reliable); transfer it to a worker in this task. */
  createDataChannel(label: string): RTCDataChannel {
    return this.pc.createDataChannel(label, { ordered: true });
  }

  onMessage(h: (data: unknown) => void): void {
    this.messageHandlers.add(h);
  }

  onOpen(h: () => void): void {
    this.openHandlers.add(h);
  }

  onClose(h: (reason: string) => void): void {
    this.closeHandlers.add(h);
  }

  /** Data channels the other browser opens for moves. The handler must transfer (or close) the channel before returning. */
  onDataChannel(h: (dc: RTCDataChannel) => void): void {
    this.channelHandlers.add(h);
  }

  /** Any change of state, for the UI. */
  onChange(h: () => void): () => void {
    this.changeHandlers.add(h);
    return () => this.changeHandlers.delete(h);
  }

  close(reason = 'disconnected'): void {
    if (this.linkState === 'closed') return;
    this.closeReason = reason;
    this.setState('closed');
    this.control?.close();
    this.pc.close();
    for (const h of this.closeHandlers) h(reason);
  }

  private adoptControl(dc: RTCDataChannel): void {
    this.control = dc;
    dc.onopen = () => {
      this.setState('open');
      for (const h of this.openHandlers) h();
    };
    dc.onclose = () => this.close('the other browser closed the connection');
    dc.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string' || e.data.length > MAX_CONTROL_CHARS) return;
      let data: unknown;
      try {
        data = decodeControl(e.data);
      } catch {
        return; // not a control message: the other side is broken or not tabvm
      }
      for (const h of this.messageHandlers) h(data);
    };
  }

  /** Sets the state and tells the UI (also when only `peerName` changed). */
  private setState(s: LinkState): void {
    this.linkState = s;
    for (const h of this.changeHandlers) h();
  }
}
