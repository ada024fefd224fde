import { digestString } from './hash.js';

const sha1Hex = (data: string): string => digestString('sha1', data, 'hex');

/**
 * Orders two strings by their UTF-8 bytes (= by code point), which is what the official SDKs'
 * byte sorts do. Plain `<` compares UTF-16 code units and disagrees for characters above
 * U+FFFF versus U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (U+D800..DFFF) above U+E000..U+FFFF so the order follows code points.
    if (x >= 0xd800) x = x < 0xe000 ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The WeCom message signature: lowercase hex SHA-1 of token, timestamp, nonce and ciphertext,
 * sorted bytewise and joined without a separator.
 *
 * @example
 * computeSignature('QDG6eK', '1409659589', '263014780', echostr) // '5c45ff5e…'
 */
export function computeSignature(token: string, timestamp: string | number, nonce: string | number, encrypt: string): string {
  let a = token;
  let b = String(timestamp);
  let c = String(nonce);
  let d = encrypt;
  let t: string;
  // A 5-comparison sorting network for four values: no array, no closure.
  if (compareUtf8(a, b) > 0) {
    t = a;
    a = b;
    b = t;
  }
  if (compareUtf8(c, d) > 0) {
    t = c;
    c = d;
    d = t;
  }
  if (compareUtf8(a, c) > 0) {
    t = a;
    a = c;
    c = t;
  }
  if (compareUtf8(b, d) > 0) {
    t = b;
    b = d;
    d = t;
  }
  if (compareUtf8(b, c) > 0) {
    t = b;
    b = c;
    c = t;
  }
  return sha1Hex(a + b + c + d);
}
