import { parseXml } from '../xml.js';
import type { BodyOptions, RawBody } from './body.js';
import { decodeBody } from './body.js';
import { CallbackParseError } from './errors.js';
import { FieldReader } from './fields.js';
import { parseJsonBody } from './json-body.js';
import type { CallbackFormat } from './types.js';

/**
 * Extract the ciphertext from the outer (still encrypted) POST body: XML
 * `<xml><Encrypt>…</Encrypt></xml>` or JSON `{"encrypt":"…"}` (AI bots and
 * `robot_callback_format=json`). The signature is computed over exactly this value.
 *
 * @example parseEncryptedEnvelope('{"encrypt":"abc="}', 'json') === 'abc='
 * @throws CallbackParseError (`callback_missing_field` names `Encrypt` or `encrypt`).
 */
export function parseEncryptedEnvelope(body: RawBody, format: CallbackFormat, options: BodyOptions = {}): string {
  if (format === 'json') return new FieldReader(parseJsonBody(body, options), '', '.').string('encrypt');
  const { root } = parseXml(body, options);
  if (typeof root === 'string') {
    throw new CallbackParseError('callback_missing_field', 'callback field Encrypt is missing', { field: 'Encrypt' });
  }
  return new FieldReader(root as Record<string, unknown>, '', '/').string('Encrypt');
}

/**
 * Guess the format of a body from its first non-blank character: `<` is XML, `{` is JSON.
 * Useful when one URL serves robots configured either way.
 *
 * @throws CallbackParseError `callback_json_malformed` when it is neither.
 */
export function detectCallbackFormat(body: RawBody, options: BodyOptions = {}): CallbackFormat {
  const text = decodeBody(body, options).trimStart();
  if (text.startsWith('<')) return 'xml';
  if (text.startsWith('{')) return 'json';
  throw new CallbackParseError('callback_json_malformed', 'callback body is neither XML nor JSON');
}
