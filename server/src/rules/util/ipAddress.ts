/**
 * IP addresses and CIDRs as the API server reads the Service fields that hold
 * them (clusterIP, clusterIPs, externalIPs, loadBalancerSourceRanges): IPv4
 * dotted quads (leading zeros tolerated, as the legacy parser does) and IPv6
 * with `::` compression and an optional trailing IPv4 part; no zones.
 */

export type IPFamily = 'IPv4' | 'IPv6';

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** The 16 bytes of an IPv6 address, or undefined. */
function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(':') || s.length > 45) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  // A v4 tail may only end the address.
  if (halves.length === 2 && halves[0].includes('.')) return undefined;
  let words: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

export interface ParsedIP {
  family: IPFamily;
  bytes: number[];
}

export function parseIP(s: string): ParsedIP | undefined {
  const v4 = parseIPv4(s);
  if (v4) return { family: 'IPv4', bytes: v4 };
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is an IPv4 address to Go.
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return { family: 'IPv4', bytes: v6.slice(12) };
  return { family: 'IPv6', bytes: v6 };
}

/** What is wrong with a CIDR (`10.0.0.0/8`, `2001:db8::/32`), or undefined. */
export function cidrProblem(s: string): string | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return 'it has no "/prefix" length (e.g. 10.0.0.0/8, or 203.0.113.7/32 for one address)';
  const ip = parseIP(s.slice(0, slash));
  if (!ip) return `"${s.slice(0, slash)}" is not an IP address`;
  const len = s.slice(slash + 1);
  const max = ip.family === 'IPv4' ? 32 : 128;
  if (!/^\d{1,3}$/.test(len) || Number(len) > max) return `the prefix length must be a number from 0 to ${max}`;
  return undefined;
}

/** Why an IP cannot be an external IP (unspecified, loopback, link-local), or undefined. */
export function specialIPProblem(ip: ParsedIP): string | undefined {
  const b = ip.bytes;
  if (b.every((x) => x === 0)) return 'it is the unspecified address';
  if (ip.family === 'IPv4') {
    if (b[0] === 127) return 'it is in the loopback range (127.0.0.0/8)';
    if (b[0] === 169 && b[1] === 254) return 'it is in the link-local range (169.254.0.0/16)';
    if (b[0] === 224 && b[1] === 0 && b[2] === 0) return 'it is in the link-local multicast range (224.0.0.0/24)';
    return undefined;
  }
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return 'it is the loopback address (::1)';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'it is in the link-local range (fe80::/10)';
  if (b[0] === 0xff && (b[1] & 0x0f) === 0x02) return 'it is a link-local multicast address (ff02::/16)';
  return undefined;
}
