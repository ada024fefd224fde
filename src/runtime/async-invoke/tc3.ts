/**
 * TC3-HMAC-SHA256, Tencent Cloud API 3.0 request signing (cloud.tencent.com/document/api/583/17238):
 * a canonical request over `content-type` and `host`, a string to sign scoped to the UTC date
 * and the service, and a key derived from the secret key by date, service and `tc3_request`.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
  /** Temporary credentials (an SCF function role) carry a token, sent as X-TC-Token. */
  sessionToken?: string;
}

export interface Tc3Request {
  /** `scf` */
  service: string;
  host: string;
  action: string;
  version: string;
  region: string;
  /** The JSON body, exactly as sent. */
  body: string;
  /** Unix seconds. */
  timestamp: number;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** The signature of a POST with a JSON body (hex). Exported for tests that check it independently. */
export function tc3Signature(secretKey: string, r: Tc3Request): string {
  const date = new Date(r.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ['POST', '/', '', `content-type:${CONTENT_TYPE}\nhost:${r.host}\n`, 'content-type;host', sha256Hex(r.body)].join('\n');
  const scope = `${date}/${r.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(r.timestamp), scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), r.service), 'tc3_request');
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

/** The headers of a signed TC3 request (the body is sent as given in `r`). */
export function tc3Headers(credentials: Tc3Credentials, r: Tc3Request): Record<string, string> {
  const date = new Date(r.timestamp * 1000).toISOString().slice(0, 10);
  const signature = tc3Signature(credentials.secretKey, r);
  return {
    'content-type': CONTENT_TYPE,
    authorization: `TC3-HMAC-SHA256 Credential=${credentials.secretId}/${date}/${r.service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
    'x-tc-action': r.action,
    'x-tc-version': r.version,
    'x-tc-timestamp': String(r.timestamp),
    'x-tc-region': r.region,
    ...(credentials.sessionToken ? { 'x-tc-token': credentials.sessionToken } : {}),
  };
}
