import { describe, expect, it } from 'vitest';
import { decodeSignal, encodeSignal, invitationFromHash, invitationLink, MAX_SDP_CHARS } from './signal-code.ts';

const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\na=candidate:1 1 udp 2122260223 9c1f.local 50000 typ host\r\n';

describe('signal codes', () => {
  it('round-trip an invitation and a reply, names with any characters included, and survive copy line breaks', () => {
    for (const kind of ['invite', 'reply'] as const) {
      const code = encodeSignal({ kind, sdp: SDP, name: 'Salle 2 · Ümit’s laptop' });
      expect(code).toMatch(/^tabvm-(invite|reply):[A-Za-z0-9_-]+$/);
      const wrapped = code.replace(/(.{40})/g, '$1\n  ');
      expect(decodeSignal(wrapped, kind)).toEqual({ kind, sdp: SDP, name: 'Salle 2 · Ümit’s laptop' });
    }
  });

  it('says which code goes where when they are swapped', () => {
    const invite = encodeSignal({ kind: 'invite', sdp: SDP, name: 'A' });
    const reply = encodeSignal({ kind: 'reply', sdp: SDP, name: 'B' });
    expect(decodeSignal(reply, 'invite')).toEqual({ error: expect.stringMatching(/reply code.*made the invitation/) as string });
    expect(decodeSignal(invite, 'reply')).toEqual({ error: expect.stringMatching(/invitation code.*Join with a code/) as string });
  });

  it('explains empty, foreign, damaged, truncated, other-version and oversized codes', () => {
    const good = encodeSignal({ kind: 'invite', sdp: SDP, name: 'A' });
    const enc = (o: unknown) => 'tabvm-invite:' + Buffer.from(JSON.stringify(o)).toString('base64url');
    const cases: [string, RegExp][] = [
      ['   ', /empty/],
      ['hello there', /not a tabvm invitation code/],
      ['tabvm-invite:***', /damaged/],
      [good.slice(0, good.length - 30), /damaged/],
      [enc({ v: 2, sdp: SDP, name: 'A' }), /another version/],
      [enc({ v: 1, sdp: 'not sdp', name: 'A' }), /no usable connection description/],
      [enc({ v: 1, sdp: 'v=0' + 'a'.repeat(MAX_SDP_CHARS), name: 'A' }), /no usable connection description/],
      [enc([1, 2, 3]), /another version/],
    ];
    for (const [text, why] of cases) {
      const r = decodeSignal(text, 'invite');
      expect('error' in r && r.error, text.slice(0, 40)).toMatch(why);
    }
  });

  it('names a nameless sender, and cuts long names', () => {
    const enc = (name: unknown) => 'tabvm-reply:' + Buffer.from(JSON.stringify({ v: 1, sdp: SDP, name })).toString('base64url');
    expect(decodeSignal(enc(undefined), 'reply')).toMatchObject({ name: 'another browser' });
    expect(decodeSignal(enc('x'.repeat(500)), 'reply')).toMatchObject({ name: 'x'.repeat(60) });
  });
});

describe('invitation links', () => {
  it('carry the invitation in the fragment, open the page without booting, and give the code back', () => {
    const code = encodeSignal({ kind: 'invite', sdp: SDP, name: 'Lectern' });
    const link = invitationLink(code, { origin: 'http://192.0.2.2:5173', pathname: '/' });
    expect(link).toBe(`http://192.0.2.2:5173/?boot=0#${code}`);
    const url = new URL(link);
    expect(url.searchParams.get('boot')).toBe('0');
    expect(invitationFromHash(url.hash)).toBe(code);
    expect(decodeSignal(invitationFromHash(url.hash)!, 'invite')).toMatchObject({ name: 'Lectern' });
  });

  it('ignore fragments that are not invitations (a reply, anything else)', () => {
    expect(invitationFromHash('')).toBeUndefined();
    expect(invitationFromHash('#section-2')).toBeUndefined();
    expect(invitationFromHash('#' + encodeSignal({ kind: 'reply', sdp: SDP, name: 'B' }))).toBeUndefined();
  });
});
