/**
 * The parts of Go's net/url (Go 1.19) that sprig's urlParse and urlJoin use: url.Parse,
 * URL.String, URL.Hostname, Userinfo.String, with Go's escaping rules and error texts
 * (`parse "http://[::1": missing ']' in host`).
 */
import { GoError } from '../value';
import { goBytes, goString } from './strings-utf8';
import { goQuote } from './strings-unicode';

const enum Mode {
  Path = 1,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

function isHexByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return 0;
}

function shouldEscape(c: number, mode: Mode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === Mode.Host || mode === Mode.Zone) {
    if ("!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case Mode.Path:
        return c === 0x3f;
      case Mode.PathSegment:
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case Mode.UserPassword:
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case Mode.QueryComponent:
        return true;
      case Mode.Fragment:
        return false;
    }
  }
  if (mode === Mode.Fragment && '!()*'.includes(ch)) return false;
  return true;
}

const UPPERHEX = '0123456789ABCDEF';

/** url's escape (over the UTF-8 bytes). */
function escape(s: string, mode: Mode): string {
  const b = goBytes(s);
  let need = false;
  for (const c of b) if (shouldEscape(c, mode)) need = true;
  if (!need) return s;
  let out = '';
  for (const c of b) {
    if (c === 0x20 && mode === Mode.QueryComponent) out += '+';
    else if (shouldEscape(c, mode)) out += '%' + UPPERHEX[c >> 4] + UPPERHEX[c & 15];
    else out += String.fromCharCode(c);
  }
  return out;
}

function escapeError(s: string): GoError {
  return new GoError('invalid URL escape ' + goQuote(s));
}

/** url's unescape: %XX sequences to bytes (with the host and zone restrictions). */
function unescape(s: string, mode: Mode): string {
  const b = goBytes(s);
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c === 0x25) {
      n++;
      if (i + 2 >= b.length || !isHexByte(b[i + 1]) || !isHexByte(b[i + 2])) {
        throw escapeError(goString(b, i, Math.min(b.length, i + 3)));
      }
      if (mode === Mode.Host && unhex(b[i + 1]) < 8 && goString(b, i, i + 3) !== '%25') throw escapeError(goString(b, i, i + 3));
      if (mode === Mode.Zone) {
        const v = (unhex(b[i + 1]) << 4) | unhex(b[i + 2]);
        if (goString(b, i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(v, Mode.Host)) throw escapeError(goString(b, i, i + 3));
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === Mode.QueryComponent;
      i++;
    } else {
      if ((mode === Mode.Host || mode === Mode.Zone) && c < 0x80 && shouldEscape(c, mode)) {
        throw new GoError('invalid character ' + goQuote(String.fromCharCode(c)) + ' in host name');
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x25) {
      out.push((unhex(b[i + 1]) << 4) | unhex(b[i + 2]));
      i += 2;
    } else if (c === 0x2b) out.push(mode === Mode.QueryComponent ? 0x20 : 0x2b);
    else out.push(c);
  }
  return goString(Uint8Array.from(out));
}

/** A parsed URL (the fields of Go's url.URL that sprig reads or writes). */
export interface GoURL {
  scheme: string;
  opaque: string;
  user?: { username: string; password: string; passwordSet: boolean };
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

function emptyURL(): GoURL {
  return { scheme: '', opaque: '', host: '', path: '', rawPath: '', omitHost: false, forceQuery: false, rawQuery: '', fragment: '', rawFragment: '' };
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) throw new GoError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (let i = 1; i < port.length; i++) if (port[i] < '0' || port[i] > '9') return false;
  return true;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new GoError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      return unescape(host.slice(0, zone), Mode.Host) + unescape(host.slice(zone, i), Mode.Zone) + unescape(host.slice(i), Mode.Host);
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1) {
      const colonPort = host.slice(i);
      if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(colonPort)} after host`);
    }
  }
  return unescape(host, Mode.Host);
}

function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

function parseAuthority(u: GoURL, authority: string): void {
  const i = authority.lastIndexOf('@');
  u.host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return;
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new GoError('net/url: invalid userinfo');
  const c = userinfo.indexOf(':');
  if (c < 0) u.user = { username: unescape(userinfo, Mode.UserPassword), password: '', passwordSet: false };
  else {
    u.user = {
      username: unescape(userinfo.slice(0, c), Mode.UserPassword),
      password: unescape(userinfo.slice(c + 1), Mode.UserPassword),
      passwordSet: true,
    };
  }
}

function setPath(u: GoURL, p: string): void {
  u.path = unescape(p, Mode.Path);
  u.rawPath = escape(u.path, Mode.Path) === p ? '' : p;
}

function setFragment(u: GoURL, f: string): void {
  u.fragment = unescape(f, Mode.Fragment);
  u.rawFragment = escape(u.fragment, Mode.Fragment) === f ? '' : f;
}

function parseNoFragment(raw: string): GoURL {
  for (const c of goBytes(raw)) {
    if (c < 0x20 || c === 0x7f) throw new GoError('net/url: invalid control character in URL');
  }
  const u = emptyURL();
  if (raw === '*') {
    u.path = '*';
    return u;
  }
  let rest: string;
  [u.scheme, rest] = getScheme(raw);
  u.scheme = u.scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    const slash = rest.indexOf('/');
    const segment = slash < 0 ? rest : rest.slice(0, slash);
    if (segment.includes(':')) throw new GoError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const i = authority.indexOf('/');
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    parseAuthority(u, authority);
  } else if (u.scheme !== '' && rest.startsWith('/')) {
    u.omitHost = true;
  }
  setPath(u, rest);
  return u;
}

/** url.Parse; errors read `parse "URL": REASON`. */
export function parseURL(raw: string): GoURL {
  const h = raw.indexOf('#');
  const base = h < 0 ? raw : raw.slice(0, h);
  const frag = h < 0 ? '' : raw.slice(h + 1);
  let u: GoURL;
  try {
    u = parseNoFragment(base);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`parse ${goQuote(base)}: ${e.message}`);
    throw e;
  }
  if (frag === '') return u;
  try {
    setFragment(u, frag);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`parse ${goQuote(raw)}: ${e.message}`);
    throw e;
  }
  return u;
}

/** URL.Hostname: the host without a port and without IPv6 brackets. */
export function hostname(u: GoURL): string {
  let host = u.host;
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) host = host.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host;
}

/** Userinfo.String. */
export function userString(user: NonNullable<GoURL['user']>): string {
  let s = escape(user.username, Mode.UserPassword);
  if (user.passwordSet) s += ':' + escape(user.password, Mode.UserPassword);
  return s;
}

function validEncoded(s: string, mode: Mode): boolean {
  for (const c of goBytes(s)) {
    if ("!$&'()*+,;=:@[]%".includes(String.fromCharCode(c))) continue;
    if (shouldEscape(c, mode)) return false;
  }
  return true;
}

function escapedPath(u: GoURL): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath, Mode.Path)) {
    try {
      if (unescape(u.rawPath, Mode.Path) === u.path) return u.rawPath;
    } catch {
      // fall through
    }
  }
  if (u.path === '*') return '*';
  return escape(u.path, Mode.Path);
}

function escapedFragment(u: GoURL): string {
  if (u.rawFragment !== '' && validEncoded(u.rawFragment, Mode.Fragment)) {
    try {
      if (unescape(u.rawFragment, Mode.Fragment) === u.fragment) return u.rawFragment;
    } catch {
      // fall through
    }
  }
  return escape(u.fragment, Mode.Fragment);
}

/** URL.String. */
export function urlString(u: GoURL): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') buf += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user) {
      if (!(u.omitHost && u.host === '' && !u.user)) {
        if (u.host !== '' || u.path !== '' || u.user) buf += '//';
        if (u.user) buf += userString(u.user) + '@';
        if (u.host !== '') buf += escape(u.host, Mode.Host);
      }
    }
    const path = escapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf === '') {
      const slash = path.indexOf('/');
      const segment = slash < 0 ? path : path.slice(0, slash);
      if (segment.includes(':')) buf += './';
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escapedFragment(u);
  return buf;
}

/** The URL for urlJoin: fields set directly (Path and Fragment unescaped, RawQuery and Opaque raw). */
export function urlFromParts(p: { scheme: string; host: string; path: string; query: string; opaque: string; fragment: string; userinfo: string }): string {
  const u = emptyURL();
  u.scheme = p.scheme;
  u.host = p.host;
  u.path = p.path;
  u.rawQuery = p.query;
  u.opaque = p.opaque;
  u.fragment = p.fragment;
  if (p.userinfo !== '') {
    let parsed: GoURL;
    try {
      parsed = parseURL(`proto://${p.userinfo}@host`);
    } catch (e) {
      if (e instanceof GoError) throw new GoError(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
    u.user = parsed.user;
  }
  return urlString(u);
}
