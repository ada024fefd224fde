/**
 * Who may deliver to a source. Every comparison is constant-time over digests, no refusal
 * names the secret or echoes what was sent, and the check runs over the raw bytes before any
 * parsing (ad-lead-push.md, security rules 1–2). A refusal is a 401 and nothing is stored.
 *
 * - `tencent`: the per-source URL token (`?token=` or `x-leads-token`). Tencent's push
 *   signature is UNCONFIRMED (no source documents it), so the unguessable URL is the check.
 * - `feiyu`: the URL token, and when `secret` is set the `Signature` + `Timestamp` headers.
 *   UNCONFIRMED for push: the rule has a secret key, but only 飞鱼's OpenAPI documents a scheme,
 *   `base64(hex(HMAC-SHA256(key, message + " " + timestamp)))`; this takes the raw body as the
 *   message, the most defensive reading (it binds the body, not only the path).
 * - `generic`: `x-signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>` with
 *   `x-timestamp` (unix seconds, ±300 s), and/or the URL token.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { RouteError } from '../../../bot/routes/route-error.js';
import type { RouteRequest } from '../../../bot/routes/types.js';
import type { SourceConfig } from '../config.js';

export const MAX_SKEW_SECONDS = 300;

const unauthorized = (message: string, hint?: string) => new RouteError(401, 'route_unauthorized', message, hint ? { hint } : {});

function same(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function checkToken(source: SourceConfig, req: RouteRequest): void {
  if (source.token === undefined) return;
  const given = req.query.token ?? req.headers['x-leads-token'];
  if (!given) throw unauthorized(`missing token for source ${source.name}`, 'the push URL ends with ?token=<sources.<name>.token>');
  if (!same(given, source.token)) throw unauthorized(`wrong token for source ${source.name}`);
}

function checkTimestamp(value: string | undefined, header: string, nowMs: number): string {
  if (!value || !/^\d{1,12}$/.test(value)) throw unauthorized(`missing or malformed ${header} header`);
  const skew = Math.abs(nowMs / 1000 - Number(value));
  if (skew > MAX_SKEW_SECONDS)
    throw unauthorized(
      `${header} is ${Math.round(skew)} s away from our clock`,
      'old deliveries are refused to stop replays; check the sender clock',
    );
  return value;
}

const concat = (a: string, body: Uint8Array, b = '') => Buffer.concat([Buffer.from(a), body, Buffer.from(b)]);

/** The signature a generic sender puts in `x-signature` (exported for senders and tests). */
export function genericSignature(secret: string, timestamp: string, body: Uint8Array | string): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return `sha256=${createHmac('sha256', secret)
    .update(concat(`${timestamp}.`, bytes))
    .digest('hex')}`;
}

/** The `Signature` header of a 飞鱼 push as this adapter checks it (UNCONFIRMED scheme, see above). */
export function feiyuSignature(secret: string, timestamp: string, body: Uint8Array | string): string {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const hex = createHmac('sha256', secret)
    .update(concat('', bytes, ` ${timestamp}`))
    .digest('hex');
  return Buffer.from(hex).toString('base64');
}

/** @throws RouteError 401 when the delivery is not the source's. */
export function verifyDelivery(source: SourceConfig, req: RouteRequest, nowMs: number): void {
  checkToken(source, req);
  if (source.secret === undefined) return;
  if (source.kind === 'feiyu') {
    const ts = checkTimestamp(req.headers.timestamp, 'Timestamp', nowMs);
    const given = req.headers.signature;
    if (!given) throw unauthorized('missing Signature header', 'sources.<name>.secret is set: 飞鱼 must sign its pushes');
    if (!same(given.trim(), feiyuSignature(source.secret, ts, req.body)))
      throw unauthorized('signature mismatch', 'check the secret key of the push rule');
    return;
  }
  const ts = checkTimestamp(req.headers['x-timestamp'], 'x-timestamp', nowMs);
  const given = req.headers['x-signature'];
  if (!given) throw unauthorized('missing x-signature header', 'sign timestamp + "." + body with HMAC-SHA256 and the source secret');
  if (!same(given.trim().toLowerCase(), genericSignature(source.secret, ts, req.body)))
    throw unauthorized('signature mismatch', 'the signature covers timestamp + "." + the raw body');
}
