/**
 * "Another browser": connect this tab to a tab in another browser or on another machine of the
 * same network, by copying two codes by hand (no server is involved). One side invites and
 * shows an invitation code; the other pastes it and shows a reply code; the first pastes the
 * reply. The tab at the other end then appears among the other tabs, and VMs move there as
 * they move between tabs (drop on it, or "Send to tab…").
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { LinkView, RemoteLinks } from '../remote-links.ts';
import { invitationFromHash, invitationLink } from '../signal-code.ts';

/**
 * Copies `text`: the Clipboard API where the page is a secure context (localhost, https), else
 * the selected textarea with the older copy command (a page opened by a LAN address over http).
 */
async function copyText(text: string, area: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Not allowed here: try the selection.
  }
  if (!area) return false;
  area.focus();
  area.select();
  return document.execCommand('copy');
}

function CodeBox({ code, testId, label }: { code: string; testId: string; label: string }) {
  const [copied, setCopied] = useState<boolean>();
  const area = useRef<HTMLTextAreaElement>(null);
  return (
    <div className="code-box">
      <textarea ref={area} readOnly value={code} data-testid={testId} aria-label={label} rows={3} onFocus={(e) => e.currentTarget.select()} />
      <button className="small" onClick={() => void copyText(code, area.current).then(setCopied)}>
        {copied === true ? 'Copied' : 'Copy'}
      </button>
      {copied === false && <span className="muted">Select the code and copy it (Ctrl+C).</span>}
    </div>
  );
}

function LinkItem({ view, links }: { view: LinkView; links: RemoteLinks }) {
  const { link, role } = view;
  const [reply, setReply] = useState('');
  const who = link.peerName || 'the other browser';
  let body;
  switch (link.state) {
    case 'preparing':
      body = <p>Preparing…</p>;
      break;
    case 'waiting-for-reply':
      body = (
        <>
          <p>1. Copy this invitation into the other browser (“Join with a code”):</p>
          <CodeBox code={link.code} testId="invite-code" label="Invitation code" />
          <p>or send this link, which opens the app there with the code filled in:</p>
          <CodeBox code={invitationLink(link.code, location)} testId="invite-link" label="Invitation link" />
          <p>2. Paste its reply here:</p>
          <textarea data-testid="reply-input" aria-label="Reply code" rows={3} value={reply} onChange={(e) => setReply(e.currentTarget.value)} />
          <button className="primary small" data-testid="accept-reply" disabled={reply.trim() === ''} onClick={() => void links.accept(view, reply)}>
            Connect
          </button>
        </>
      );
      break;
    case 'waiting-for-connection':
      body =
        role === 'join' ? (
          <>
            <p>Copy this reply back into {who}:</p>
            <CodeBox code={link.code} testId="reply-code" label="Reply code" />
            <p className="muted">Waiting for {who} to connect…</p>
          </>
        ) : (
          <p className="muted">Connecting to {who}…</p>
        );
      break;
    case 'open':
      body = (
        <p data-testid="link-open">
          Connected to <strong>{who}</strong>. Its tab is listed above: move VMs there as to any tab.
        </p>
      );
      break;
    case 'closed':
      body = (
        <p className="link-closed" data-testid="link-closed">
          Connection to {who} ended: {link.reason}.
        </p>
      );
      break;
  }
  return (
    <div className="remote-link" data-testid="remote-link" data-state={link.state}>
      {body}
      <button className="small" onClick={() => links.remove(view)}>
        {link.state === 'closed' ? 'Dismiss' : link.state === 'open' ? 'Disconnect' : 'Cancel'}
      </button>
    </div>
  );
}

export function RemoteBrowsers({ links }: { links: RemoteLinks }) {
  const state = useSyncExternalStore(links.subscribe, links.getState);
  // Opened from an invitation link: the code is filled in, for the person to answer.
  const [fromLink] = useState(() => invitationFromHash(location.hash));
  const [joining, setJoining] = useState(fromLink !== undefined);
  const [invitation, setInvitation] = useState(fromLink ?? '');
  useEffect(() => {
    // A reload must not offer to join again with a used code.
    if (fromLink !== undefined) history.replaceState(null, '', location.pathname + location.search);
  }, [fromLink]);
  return (
    <section className="remote-browsers" aria-label="Another browser">
      <h2>Another browser</h2>
      <p className="empty">Move VMs to a browser on another machine of this network, or to another browser here.</p>
      <div className="remote-buttons">
        <button className="small" data-testid="invite" onClick={() => void links.invite()}>
          Invite…
        </button>
        <button className="small" data-testid="join" onClick={() => setJoining((j) => !j)}>
          Join with a code…
        </button>
      </div>
      {joining && (
        <div className="remote-link">
          <p>{fromLink !== undefined && invitation === fromLink ? 'The link brought this invitation; answer it to connect:' : 'Paste the invitation from the other browser:'}</p>
          <textarea data-testid="join-input" aria-label="Invitation code" rows={3} value={invitation} onChange={(e) => setInvitation(e.currentTarget.value)} />
          <button
            className="primary small"
            data-testid="make-reply"
            disabled={invitation.trim() === ''}
            onClick={() => {
              void links.join(invitation).then(() => {
                if (!links.getState().error) {
                  setJoining(false);
                  setInvitation('');
                }
              });
            }}
          >
            Make a reply
          </button>
        </div>
      )}
      {state.error && (
        <p className="link-error" role="alert" data-testid="link-error">
          {state.error}{' '}
          <button className="small" onClick={() => links.dismissError()}>
            OK
          </button>
        </p>
      )}
      {state.links.map((v) => (
        <LinkItem key={v.key} view={v} links={links} />
      ))}
    </section>
  );
}
