/**
 * This tab's WebRTC links to tabs in other browsers (rtc-link.ts), as an observable list for
 * the "Another browser" panel: inviting, joining with a code, taking the reply, disconnecting.
 * Every link joins the tab's presence, so the tab at its other end becomes a drop target. A
 * failure is kept on the list in words until dismissed.
 */
import type { Presence } from './presence.ts';
import { RtcLink } from './rtc-link.ts';

export interface LinkView {
  readonly key: number;
  /** 'invite': this tab made the invitation; 'join': it answered one. */
  readonly role: 'invite' | 'join';
  readonly link: RtcLink;
}

export interface RemoteLinksState {
  readonly links: readonly LinkView[];
  /** The last failure to start or complete a link, in words. */
  readonly error?: string;
}

let nextKey = 1;

/** Whether this browser can make WebRTC connections at all. */
export function webRtcAvailable(): boolean {
  return typeof RTCPeerConnection !== 'undefined';
}

export class RemoteLinks {
  private state: RemoteLinksState = { links: [] };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly presence: Presence) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getState = (): RemoteLinksState => this.state;

  /** Makes an invitation; its code is on the new link. */
  async invite(): Promise<void> {
    await this.start('invite', () => RtcLink.invite(this.presence.name));
  }

  /** Answers another browser's invitation; the reply code is on the new link. */
  async join(invitation: string): Promise<void> {
    await this.start('join', () => RtcLink.join(invitation, this.presence.name));
  }

  /** The inviter takes the reply. */
  async accept(view: LinkView, reply: string): Promise<void> {
    try {
      await view.link.accept(reply);
      this.set({ error: undefined });
    } catch (e) {
      this.set({ error: `That reply cannot be used: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Closes a link (or forgets a closed one). */
  remove(view: LinkView): void {
    view.link.close('disconnected here');
    this.set({ links: this.state.links.filter((v) => v !== view) });
  }

  dismissError(): void {
    this.set({ error: undefined });
  }

  private async start(role: LinkView['role'], make: () => Promise<RtcLink>): Promise<void> {
    if (!webRtcAvailable()) {
      this.set({ error: 'This browser cannot make WebRTC connections.' });
      return;
    }
    try {
      const link = await make();
      this.presence.addLink(link);
      const view: LinkView = { key: nextKey++, role, link };
      link.onChange(() => this.set({}));
      this.set({ links: [...this.state.links, view], error: undefined });
    } catch (e) {
      const what = role === 'invite' ? 'make an invitation' : 'use that invitation';
      this.set({ error: `Cannot ${what}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private set(patch: Partial<RemoteLinksState>): void {
    // A new object each time: the links' own states changed even when the list did not.
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
