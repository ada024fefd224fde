/**
 * IP addresses for allow-lists, without `node:net`: loading it costs ~1.7 ms of every cold
 * start, and a callback never needs it. IPv6 goes through the URL parser, which validates and
 * canonicalizes it (`2001:DB8::0:1` → `2001:db8::1`).
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The address as a 32-bit number, or undefined when `text` is no dotted IPv4 address. */
export function ipv4Number(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/**
 * The canonical form of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address, as dual-stack
 * sockets report IPv4 callers, becomes the IPv4 address), or undefined when it is neither.
 */
export function canonicalIp(text: string): string | undefined {
  if (IPV4.test(text)) return text;
  if (!text.includes(':') || /[^0-9A-Fa-f:.]/.test(text)) return undefined;
  let host: string;
  try {
    host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const hi = parseInt(mapped[1] as string, 16);
    const lo = parseInt(mapped[2] as string, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return host;
}
