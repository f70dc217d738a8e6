/**
 * The codes two people copy between browsers to connect them with WebRTC, with no signaling
 * server (none is reachable from a workshop's machines, and the app needs none): the inviting
 * tab's offer and the joining tab's reply, each a session description with every ICE candidate
 * already gathered, and the tab's name so each side knows whom it is talking to.
 *
 *   tabvm-invite:<base64url JSON {v: 1, sdp, name}>     (an offer)
 *   tabvm-reply:<base64url JSON {v: 1, sdp, name}>      (an answer)
 *
 * An invitation can also travel as a link (`invitationLink`): the page it opens has the code
 * filled in under "Join with a code", for the person to answer with one click.
 *
 * Pasted text is untrusted: decoding checks the prefix, the encoding, the JSON's shape and the
 * sizes, and says in words what is wrong (a reply pasted where an invitation belongs is the
 * likeliest mistake).
 */

export type SignalKind = 'invite' | 'reply';

export interface Signal {
  readonly kind: SignalKind;
  /** The session description (an offer for 'invite', an answer for 'reply'). */
  readonly sdp: string;
  /** The sending tab's name. */
  readonly name: string;
}

const VERSION = 1;
/** Longest session description accepted (a few hundred bytes per candidate; real ones are ~1 KiB). */
export const MAX_SDP_CHARS = 16 * 1024;
const MAX_NAME_CHARS = 60;
const PREFIX: Record<SignalKind, string> = { invite: 'tabvm-invite:', reply: 'tabvm-reply:' };

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(code: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(code)) return undefined;
  try {
    const binary = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

export function encodeSignal(s: Signal): string {
  return PREFIX[s.kind] + toBase64Url(JSON.stringify({ v: VERSION, sdp: s.sdp, name: s.name.slice(0, MAX_NAME_CHARS) }));
}

/** The signal in `text` (whitespace and line breaks from copying are ignored), or what is wrong with it. */
export function decodeSignal(text: string, expected: SignalKind): Signal | { readonly error: string } {
  const compact = text.replace(/\s+/g, '');
  if (compact === '') return { error: 'the code is empty' };
  const other: SignalKind = expected === 'invite' ? 'reply' : 'invite';
  if (compact.startsWith(PREFIX[other])) {
    return {
      error:
        expected === 'invite'
          ? 'that is a reply code: paste it in the browser that made the invitation'
          : 'that is an invitation code: paste it under “Join with a code” in the other browser',
    };
  }
  if (!compact.startsWith(PREFIX[expected])) return { error: `not a tabvm ${expected === 'invite' ? 'invitation' : 'reply'} code (it should start with “${PREFIX[expected]}”)` };
  const json = fromBase64Url(compact.slice(PREFIX[expected].length));
  if (json === undefined) return { error: 'the code is damaged (not base64url text): copy it again, whole' };
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return { error: 'the code is damaged (cut short?): copy it again, whole' };
  }
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (o.v !== VERSION) return { error: `the code is from another version of tabvm (${String(o.v)}, this one reads ${VERSION})` };
  if (typeof o.sdp !== 'string' || !o.sdp.startsWith('v=0') || o.sdp.length > MAX_SDP_CHARS) return { error: 'the code holds no usable connection description' };
  const name = typeof o.name === 'string' && o.name.trim() !== '' ? o.name.trim().slice(0, MAX_NAME_CHARS) : 'another browser';
  return { kind: expected, sdp: o.sdp, name };
}

/**
 * A link that opens the app with `invitation` ready to answer: the code travels in the URL's
 * fragment (never sent to the server), and `boot=0` keeps the page from booting a VM of its own.
 */
export function invitationLink(invitation: string, page: { origin: string; pathname: string }): string {
  return `${page.origin}${page.pathname}?boot=0#${invitation}`;
}

/** The invitation in a URL fragment that `invitationLink` made, if any. */
export function invitationFromHash(hash: string): string | undefined {
  const code = hash.startsWith('#') ? hash.slice(1) : hash;
  return code.startsWith(PREFIX.invite) ? code : undefined;
}
