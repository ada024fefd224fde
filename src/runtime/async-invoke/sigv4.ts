/**
 * AWS Signature Version 4 for one request with a body (a POST unless told) (docs.aws.amazon.com/IAM/latest/UserGuide/
 * reference_sigv-create-signed-request.html): canonical request over host, x-amz-date and (with
 * temporary credentials) x-amz-security-token; each path segment URI-encoded once more for the
 * canonical form, as every service but S3 expects.
 */
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Request {
  /** Default `POST` (Lambda's Invoke); other methods for the published test vectors. */
  method?: string;
  service: string;
  region: string;
  host: string;
  /** The request path as sent (already percent-encoded). */
  path: string;
  /** The canonical query string (names sorted, values encoded), without `?`; default none. */
  query?: string;
  body: string;
  /** Extra headers to send and sign (lower-case names), e.g. x-amz-invocation-type. */
  headers: Record<string, string>;
  /** `20150830T123600Z` */
  amzDate: string;
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants it (`!'()*` too). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `20150830T123600Z` for `date`. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The headers to send, `authorization` included. */
export function sigV4Headers(credentials: AwsCredentials, r: SigV4Request): Record<string, string> {
  const headers: Record<string, string> = {
    ...r.headers,
    host: r.host,
    'x-amz-date': r.amzDate,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalUri = r.path
    .split('/')
    .map((seg) => uriEncode(seg))
    .join('/');
  const canonical = [r.method ?? 'POST', canonicalUri, r.query ?? '', canonicalHeaders, signedHeaders, sha256Hex(r.body)].join('\n');
  const day = r.amzDate.slice(0, 8);
  const scope = `${day}/${r.region}/${r.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', r.amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), r.region), r.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  const out = { ...headers };
  delete out.host; // fetch sets Host from the URL (the same value)
  out.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return out;
}
