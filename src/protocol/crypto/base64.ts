import { WecomCryptoError } from './crypto-error.js';

/** The 6-bit value of each standard base64 character by char code, -1 elsewhere. */
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/**
 * Decodes standard, padded base64 and refuses anything else. Node's decoder is lenient, so a
 * mangled value would silently decode to different bytes. What it does with a deviation, and
 * how each is caught here without re-encoding the bytes (which costs as much as decoding):
 * - a character outside the alphabet (space, `*`, a `=` inside) is skipped or ends the
 *   decoding: fewer bytes come out than the length promises;
 * - `-` and `_` (the URL-safe alphabet) decode as `+` and `/`: looked for;
 * - a character above U+00FF is read as its low byte (`Ł` as `A`): its UTF-8 is longer than
 *   one byte, so the string's UTF-8 length differs from its length;
 * - non-zero bits after the last byte (`AB==`) are dropped: the last character is checked.
 *
 * @throws WecomCryptoError `base64_invalid` (-40010)
 */
export function decodeBase64Strict(value: string, name = 'ciphertext'): Buffer {
  const n = value.length;
  if (n % 4 !== 0) {
    throw new WecomCryptoError('base64_invalid', `${name} is not base64: length ${n} is not a multiple of 4`);
  }
  const bytes = Buffer.from(value, 'base64');
  const pads = n === 0 ? 0 : value.charCodeAt(n - 1) !== 61 ? 0 : value.charCodeAt(n - 2) !== 61 ? 1 : 2;
  if (
    bytes.length !== (n / 4) * 3 - pads ||
    value.indexOf('-') !== -1 ||
    value.indexOf('_') !== -1 ||
    Buffer.byteLength(value, 'utf8') !== n ||
    (pads > 0 && (VALUE[value.charCodeAt(n - 1 - pads)]! & (pads === 1 ? 0b11 : 0b1111)) !== 0)
  ) {
    const at = firstNonBase64(value);
    const where = at >= 0 ? `character ${JSON.stringify(value[at])} at position ${at}` : 'non-canonical padding';
    throw new WecomCryptoError('base64_invalid', `${name} is not standard base64: ${where}`);
  }
  return bytes;
}

/** Position of the first character outside the base64 alphabet (or a misplaced '='), or -1. */
function firstNonBase64(value: string): number {
  const padStart = value.length - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok = (c < 128 && VALUE[c]! >= 0) || (c === 61 && i >= padStart);
    if (!ok) return i;
  }
  return -1;
}
