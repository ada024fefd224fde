import { WecomCryptoError } from './crypto-error.js';

/**
 * Decodes standard, padded base64 and refuses anything else. Node's decoder is lenient (it
 * skips unknown characters and accepts the URL-safe alphabet), so a mangled value would
 * silently decode to different bytes; re-encoding and comparing catches every deviation and is
 * cheaper than scanning the string with a regular expression.
 *
 * @throws WecomCryptoError `base64_invalid` (-40010)
 */
export function decodeBase64Strict(value: string, name = 'ciphertext'): Buffer {
  if (value.length % 4 !== 0) {
    throw new WecomCryptoError('base64_invalid', `${name} is not base64: length ${value.length} is not a multiple of 4`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) {
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
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || (c === 61 && i >= padStart);
    if (!ok) return i;
  }
  return -1;
}
