import { quote, WecomCryptoError } from './crypto-error.js';
import { computeSignature } from './signature.js';

/** What {@link verifySignature} checks: the four signed values and the signature WeCom sent. */
export interface SignedValues {
  /** `msg_signature` from the callback URL. */
  msgSignature: string;
  timestamp: string;
  nonce: string;
  /** The ciphertext: `echostr` (GET) or `Encrypt`/`encrypt` (POST body). */
  encrypt: string;
}

/** Optional replay protection for {@link verifySignature}. */
export interface TimestampWindow {
  /** Reject timestamps further than this from `now()`, in seconds. Off when undefined. */
  maxSkewSeconds?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`). Inject it in tests. */
  now?: () => number;
}

const DECIMAL = /^\d{1,12}$/;

function present(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/**
 * True when two signatures are equal, compared in constant time. Lengths are public (always 40
 * hex characters), so a length mismatch returns early. The loop ORs the XOR of every pair of
 * UTF-16 code units and never branches on them: no early exit, no allocation (two Buffers and
 * `timingSafeEqual` cost more than the SHA-1 itself on a 1 KiB callback).
 */
export function signaturesEqual(expected: string, received: string): boolean {
  const n = expected.length;
  if (n !== received.length) return false;
  let diff = 0;
  for (let i = 0; i < n; i++) diff |= expected.charCodeAt(i) ^ received.charCodeAt(i);
  return diff === 0;
}

/** Throws `missing_field` unless every signed value is a non-empty string. */
export function requireSignedValues(values: Partial<SignedValues>, encryptName = 'encrypt'): asserts values is SignedValues {
  if (present(values.msgSignature) && present(values.timestamp) && present(values.nonce) && present(values.encrypt)) return;
  const names: [keyof SignedValues, string][] = [
    ['msgSignature', 'msg_signature'],
    ['timestamp', 'timestamp'],
    ['nonce', 'nonce'],
    ['encrypt', encryptName],
  ];
  const missing = names.filter(([key]) => !present(values[key])).map(([, name]) => name);
  if (missing.length > 0) throw new WecomCryptoError('missing_field', `missing ${missing.join(', ')}`);
}

/**
 * Checks a callback's `msg_signature` in constant time, then (optionally) that its timestamp is
 * within `maxSkewSeconds` of the clock.
 *
 * @example
 * verifySignature(token, { msgSignature, timestamp, nonce, encrypt }, { maxSkewSeconds: 300 });
 * @throws WecomCryptoError `missing_field`, `signature_mismatch`, `timestamp_invalid`, `timestamp_stale`
 */
export function verifySignature(token: string, values: SignedValues, window: TimestampWindow = {}): void {
  requireSignedValues(values);
  const expected = computeSignature(token, values.timestamp, values.nonce, values.encrypt);
  if (!signaturesEqual(expected, values.msgSignature)) {
    // The received signature is public (it was in the URL); the expected one is not shown in
    // the library, since with the public inputs it lets anyone brute-force a short token offline.
    throw new WecomCryptoError('signature_mismatch', `signature mismatch: msg_signature ${quote(values.msgSignature, 48)} does not match`);
  }
  checkTimestamp(values.timestamp, window);
}

/** Applies the optional timestamp window. */
export function checkTimestamp(timestamp: string, window: TimestampWindow): void {
  if (window.maxSkewSeconds === undefined) return;
  if (!DECIMAL.test(timestamp)) {
    throw new WecomCryptoError('timestamp_invalid', `timestamp ${quote(timestamp, 24)} is not decimal seconds`);
  }
  const nowSeconds = (window.now ?? Date.now)() / 1000;
  const skew = Math.abs(nowSeconds - Number(timestamp));
  if (!(skew <= window.maxSkewSeconds)) {
    throw new WecomCryptoError(
      'timestamp_stale',
      `timestamp ${timestamp} is ${Math.round(skew)}s away from the clock (allowed ${window.maxSkewSeconds}s)`,
    );
  }
}
