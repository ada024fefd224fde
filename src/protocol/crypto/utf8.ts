import * as nodeBuffer from 'node:buffer';

/**
 * UTF-8 bytes to a string, for bytes already checked with `isUtf8`. V8's own decoder
 * (`Buffer#toString`) takes about a third of a 1 KiB Chinese callback's decrypt+verify, while
 * for ASCII it is close to a copy. Chinese text is three bytes a character, so decoding it in
 * JavaScript into UTF-16 code units and copying those into a string (UTF-16LE, a memcpy) is
 * about three times faster there; for ASCII-heavy text it is slower, so the bytes choose.
 */

// isAscii (Node >= 18.15) is a SIMD scan; without it every message takes the sampled route.
const isAscii = (nodeBuffer as { isAscii?: (input: Uint8Array) => boolean }).isAscii;
/** UTF-16LE decoding reads little-endian code units; a Uint16Array writes in the machine's order. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Shorter messages are cheap either way; past this the scratch buffer would be worth freeing. */
const MIN_BYTES = 128;
const MAX_BYTES = 32 * 1024;
const SAMPLES = 32;

let scratch = Buffer.allocUnsafe(4096);
let units = new Uint16Array(scratch.buffer, scratch.byteOffset, scratch.length >> 1);

/** Decodes `bytes[start, end)`, which must be valid UTF-8. */
export function decodeValidUtf8(bytes: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n < MIN_BYTES || n > MAX_BYTES || !littleEndian || !mostlyMultiByte(bytes, start, end)) return bytes.toString('utf8', start, end);
  return decodeToUnits(bytes, start, end);
}

/**
 * True when at least a quarter of 32 evenly spaced bytes are above 0x7F: text where most
 * characters take several bytes. A wrong guess costs time, never correctness.
 */
function mostlyMultiByte(bytes: Buffer, start: number, end: number): boolean {
  if (isAscii && isAscii(bytes.subarray(start, end))) return false;
  const step = (end - start) / SAMPLES;
  let high = 0;
  for (let k = 0; k < SAMPLES; k++) high += bytes[start + Math.floor(k * step)]! >> 7;
  return high * 4 >= SAMPLES;
}

/** @internal the JavaScript decoder itself (exported for the tests). */
export function decodeToUnits(bytes: Buffer, start: number, end: number): string {
  // Never more UTF-16 units than UTF-8 bytes.
  if (units.length < end - start) {
    scratch = Buffer.allocUnsafe(2 * (end - start));
    units = new Uint16Array(scratch.buffer, scratch.byteOffset, end - start);
  }
  const u = units;
  let j = 0;
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      u[j++] = b;
      i += 1;
    } else if (b < 0xe0) {
      u[j++] = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      i += 2;
    } else if (b < 0xf0) {
      u[j++] = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      i += 3;
    } else {
      const cp = (((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f)) - 0x10000;
      u[j++] = 0xd800 | (cp >> 10);
      u[j++] = 0xdc00 | (cp & 0x3ff);
      i += 4;
    }
  }
  return scratch.toString('utf16le', 0, 2 * j);
}
