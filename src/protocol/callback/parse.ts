import { parseAibotCallback } from './aibot.js';
import { parseCorpCallbackXml } from './corp.js';
import type { CorpCallback } from './corp-types.js';
import type { BodyOptions, RawBody } from './body.js';
import { parseGroupCallbackJson, parseGroupCallbackXml } from './group.js';
import type { AibotCallback, CallbackFormat, CallbackMessage, GroupCallback } from './types.js';

/** Which parser {@link parseCallback} uses. */
export interface ParseCallbackOptions extends BodyOptions {
  /** 'group' = classic group robot (XML or JSON); 'aibot' = smart robot (JSON only); 'corp' = corp app (XML only). */
  robot: 'group' | 'aibot' | 'corp';
  /** Wire format of a group robot's plaintext; default 'xml' (WeCom's default). Ignored for aibot. */
  format?: CallbackFormat;
}

/**
 * Parse a decrypted callback plaintext into the {@link CallbackMessage} union.
 *
 * @example
 * const msg = parseCallback(plaintext, { robot: 'group', format: 'json' });
 * if (msg.robot === 'group' && msg.type === 'text') console.log(stripLeadingMention(msg.text));
 * @throws CallbackParseError
 */
export function parseCallback(body: RawBody, options: ParseCallbackOptions & { robot: 'group' }): GroupCallback;
export function parseCallback(body: RawBody, options: ParseCallbackOptions & { robot: 'aibot' }): AibotCallback;
export function parseCallback(body: RawBody, options: ParseCallbackOptions & { robot: 'corp' }): CorpCallback;
export function parseCallback(body: RawBody, options: ParseCallbackOptions): CallbackMessage;
export function parseCallback(body: RawBody, options: ParseCallbackOptions): CallbackMessage {
  if (options.robot === 'aibot') return parseAibotCallback(body, options);
  if (options.robot === 'corp') return parseCorpCallbackXml(body, options);
  return (options.format ?? 'xml') === 'json' ? parseGroupCallbackJson(body, options) : parseGroupCallbackXml(body, options);
}
