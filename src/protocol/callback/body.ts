import { LIMITS } from '../limits.js';
import { decodeUtf8Strict, utf8ByteLength } from '../text/utf8.js';
import { CallbackParseError } from './errors.js';

/** A raw request body: bytes as received, or a string the runtime already decoded. */
export type RawBody = string | Uint8Array;

/** Options shared by every body parser. */
export interface BodyOptions {
  /** Refuse bodies larger than this many bytes, before any parsing. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * Turn a raw body into text: enforce the size bound first (cheaply, before decoding), then
 * decode strictly as UTF-8. Throws {@link CallbackParseError} with codes
 * `callback_body_too_large`, `callback_body_not_utf8` or `callback_body_empty`.
 */
export function decodeBody(body: RawBody, options: BodyOptions = {}): string {
  const maxBytes = options.maxBytes ?? LIMITS.callbackBodyBytesDefault;
  let text: string;
  if (typeof body === 'string') {
    // Every UTF-16 unit encodes to at least one byte, so a long string is rejected without
    // walking it.
    if (body.length > maxBytes) throw tooLarge(`at least ${body.length}`, maxBytes);
    const size = utf8ByteLength(body);
    if (size > maxBytes) throw tooLarge(String(size), maxBytes);
    text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  } else {
    if (body.byteLength > maxBytes) throw tooLarge(String(body.byteLength), maxBytes);
    const decoded = decodeUtf8Strict(body);
    if (decoded === undefined) {
      throw new CallbackParseError('callback_body_not_utf8', 'callback body is not valid UTF-8');
    }
    text = decoded;
  }
  if (text.trim() === '') throw new CallbackParseError('callback_body_empty', 'callback body is empty');
  return text;
}

function tooLarge(size: string, maxBytes: number): CallbackParseError {
  return new CallbackParseError('callback_body_too_large', `callback body is ${size} bytes; the limit is ${maxBytes} bytes`);
}
