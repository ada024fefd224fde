/**
 * The authentication hooks of module routes, run by the core before any handler. Every
 * comparison of a secret is constant-time, and no refusal message contains a secret or the
 * value the caller sent.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BotConfigError } from '../errors.js';
import { canonicalIp, ipv4Number } from './ip-address.js';
import { RouteError } from './route-error.js';
import type { RouteAuth, RouteRequest } from './types.js';

const MIN_SECRET = 8;

/** Checks a route's auth settings at start-up; errors name the field, never the secret. */
export function checkRouteAuth(where: string, auth: RouteAuth | undefined): void {
  if (!auth || typeof auth !== 'object') {
    throw new BotConfigError(`${where}.auth is missing`, {
      hint: "say how the route is protected: hmac, token, ip, custom, or { type: 'none' }",
    });
  }
  switch (auth.type) {
    case 'hmac':
      if (typeof auth.secret !== 'string' || auth.secret.length < MIN_SECRET)
        throw new BotConfigError(`${where}.auth.secret must be at least ${MIN_SECRET} characters`);
      if (!auth.header) throw new BotConfigError(`${where}.auth.header is empty`, { hint: 'the header the sender puts its signature in' });
      if (auth.algorithm && auth.algorithm !== 'sha256' && auth.algorithm !== 'sha1')
        throw new BotConfigError(`${where}.auth.algorithm must be sha256 or sha1`);
      if (auth.encoding && auth.encoding !== 'hex' && auth.encoding !== 'base64')
        throw new BotConfigError(`${where}.auth.encoding must be hex or base64`);
      return;
    case 'token':
      if (typeof auth.token !== 'string' || auth.token.length < MIN_SECRET)
        throw new BotConfigError(`${where}.auth.token must be at least ${MIN_SECRET} characters`);
      if (auth.header && auth.query) throw new BotConfigError(`${where}.auth: give header or query, not both`);
      return;
    case 'ip':
      if (!Array.isArray(auth.allow) || auth.allow.length === 0)
        throw new BotConfigError(`${where}.auth.allow must list at least one address`);
      for (const entry of auth.allow)
        if (!parseAllowEntry(entry))
          throw new BotConfigError(`${where}.auth.allow has "${String(entry)}", which is no IP address or IPv4 CIDR`);
      return;
    case 'custom':
      if (typeof auth.verify !== 'function') throw new BotConfigError(`${where}.auth.verify must be a function`);
      return;
    case 'none':
      return;
    default:
      throw new BotConfigError(`${where}.auth.type "${String((auth as { type?: unknown }).type)}" is unknown`, {
        hint: 'hmac, token, ip, custom or none',
      });
  }
}

/** Equal-length digests, so neither content nor length leaks through timing. */
function sameSecret(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

const unauthorized = (message: string, hint?: string) => new RouteError(401, 'route_unauthorized', message, hint ? { hint } : {});

function verifyHmac(auth: Extract<RouteAuth, { type: 'hmac' }>, req: RouteRequest, nowMs: number): void {
  let given = req.headers[auth.header.toLowerCase()];
  if (!given) throw unauthorized(`missing ${auth.header} header`, 'the sender signs the body with the shared secret');
  if (auth.prefix) {
    if (!given.startsWith(auth.prefix)) throw unauthorized(`${auth.header} does not start with ${auth.prefix}`);
    given = given.slice(auth.prefix.length);
  }
  const mac = createHmac(auth.algorithm ?? 'sha256', auth.secret);
  if (auth.timestampHeader) {
    const ts = req.headers[auth.timestampHeader.toLowerCase()];
    if (!ts || !/^\d{1,12}$/.test(ts)) throw unauthorized(`missing or malformed ${auth.timestampHeader} header`);
    const skew = Math.abs(nowMs / 1000 - Number(ts));
    if (skew > (auth.maxSkewSeconds ?? 300))
      throw unauthorized(
        `${auth.timestampHeader} is ${Math.round(skew)} s away from our clock`,
        'check the sender clock; old requests are refused to stop replays',
      );
    mac.update(`${ts}.`);
  }
  const expected = mac.update(req.body).digest(auth.encoding ?? 'hex');
  const normalized = (auth.encoding ?? 'hex') === 'hex' ? given.trim().toLowerCase() : given.trim();
  if (!sameSecret(normalized, expected))
    throw unauthorized('signature mismatch', 'check the shared secret on both sides; the signature covers the raw body');
}

function verifyToken(auth: Extract<RouteAuth, { type: 'token' }>, req: RouteRequest): void {
  let given: string | undefined;
  if (auth.query) given = req.query[auth.query];
  else if (!auth.header || auth.header.toLowerCase() === 'authorization') {
    const h = req.headers.authorization;
    given = h && /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '') : undefined;
  } else given = req.headers[auth.header.toLowerCase()];
  const where = auth.query ? `query parameter ${auth.query}` : auth.header ? `${auth.header} header` : 'authorization: Bearer header';
  if (!given) throw unauthorized(`missing token (${where})`);
  if (!sameSecret(given.trim(), auth.token)) throw unauthorized(`wrong token (${where})`);
}

/** `a.b.c.d/n` → [network, mask] for IPv4, or an exact address. */
function parseAllowEntry(entry: string): { exact: string } | { net: number; mask: number } | undefined {
  if (typeof entry !== 'string') return undefined;
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(entry);
  if (cidr) {
    const bits = Number(cidr[2]);
    const ip = ipv4Number(cidr[1] as string);
    if (ip === undefined || bits > 32) return undefined;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return { net: (ip & mask) >>> 0, mask };
  }
  const exact = canonicalIp(entry);
  return exact === undefined ? undefined : { exact };
}

function verifyIp(auth: Extract<RouteAuth, { type: 'ip' }>, req: RouteRequest): void {
  const ip = req.remoteAddress === undefined ? undefined : canonicalIp(req.remoteAddress);
  if (ip === undefined) {
    throw new RouteError(403, 'route_forbidden', 'the runtime did not report the caller address', {
      hint: 'an IP allow-list needs the adapter to pass the source address',
    });
  }
  const v4 = ipv4Number(ip);
  for (const raw of auth.allow) {
    const entry = parseAllowEntry(raw);
    if (!entry) continue;
    if ('exact' in entry ? entry.exact === ip : v4 !== undefined && (v4 & entry.mask) >>> 0 === entry.net) return;
  }
  throw new RouteError(403, 'route_forbidden', `caller ${ip} is not on the allow-list`);
}

/** Runs the route's authentication. @throws RouteError 401/403. */
export async function authenticate(auth: RouteAuth, req: RouteRequest, nowMs: number): Promise<void> {
  switch (auth.type) {
    case 'hmac':
      return verifyHmac(auth, req, nowMs);
    case 'token':
      return verifyToken(auth, req);
    case 'ip':
      return verifyIp(auth, req);
    case 'custom':
      if (!(await auth.verify(req))) throw unauthorized('the route refused the request');
      return;
    case 'none':
      return;
  }
}
