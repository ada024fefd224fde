/**
 * UTF-8 byte arithmetic. WeCom measures every limit in UTF-8 bytes (a Chinese character is 3
 * bytes, most emoji 4), so every length check in wecombot goes through these helpers.
 */

/** Number of UTF-8 bytes `text` encodes to (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** UTF-8 length of one code point. */
export function codePointUtf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * The largest UTF-16 index `i <= text.length` such that `text.slice(0, i)` is at most `maxBytes`
 * UTF-8 bytes and does not end inside a surrogate pair.
 *
 * @example utf8PrefixIndex('中文ab', 5) === 1 // '中' is 3 bytes, '中文' would be 6
 */
export function utf8PrefixIndex(text: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) as number;
    const size = cp >= 0xd800 && cp <= 0xdfff ? 3 : codePointUtf8Length(cp);
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/**
 * Cut `text` to at most `maxBytes` UTF-8 bytes on a code point boundary (never half an emoji).
 * Returns `text` unchanged when it already fits.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || utf8ByteLength(text) <= maxBytes) return text;
  return text.slice(0, utf8PrefixIndex(text, maxBytes));
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode bytes as UTF-8, refusing any malformed sequence (overlong forms, lone continuation
 * bytes, encoded surrogates). A leading BOM is dropped. Returns `undefined` when not UTF-8.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
