import { decodeBody, type BodyOptions, type RawBody } from './body.js';
import { CallbackParseError } from './errors.js';

/**
 * Parse a JSON callback body (outer envelope or decrypted plaintext) into an object, with the
 * same size and UTF-8 checks as XML. Integers of 16 digits or more are kept as strings so an
 * id such as msgid never loses precision (JSON.parse would round it past 2^53).
 *
 * Throws {@link CallbackParseError}: `callback_body_*` or `callback_json_malformed` (also when the
 * top level is not an object). `what` names the body in messages.
 */
export function parseJsonBody(body: RawBody, options: BodyOptions = {}, what = 'JSON body'): Record<string, unknown> {
  const text = decodeBody(body, options);
  let value: unknown;
  try {
    value = JSON.parse(quoteBigIntegers(text));
  } catch (err) {
    // V8's messages quote the body ("SECRET…" is not valid JSON), and a decrypted callback or a
    // gateway's body holds message text and webhook keys: keep only the position, and no cause.
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    const where = position === undefined ? '' : ` (at position ${position})`;
    throw new CallbackParseError('callback_json_malformed', `${what} does not parse${where}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CallbackParseError('callback_json_malformed', `${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** Wrap integer literals of >= 16 digits (outside strings) in quotes. */
export function quoteBigIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    const isStart = (c >= 0x30 && c <= 0x39) || c === 0x2d;
    if (!isStart) continue;
    let j = c === 0x2d ? i + 1 : i;
    while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    const next = text[j];
    const digits = j - (c === 0x2d ? i + 1 : i);
    if (digits >= 16 && next !== '.' && next !== 'e' && next !== 'E') {
      out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
      last = j;
    }
    i = j - 1;
  }
  return out + text.slice(last);
}
