import { describe, expect, it } from 'vitest';
import { renderXmlEnvelope } from '../../src/protocol/crypto/envelope.js';
import { CallbackParseError } from '../../src/protocol/callback/errors.js';
import { parseWeComXml } from '../../src/protocol/xml-fast.js';
import { findDtdDeclaration, parseXml, parseXmlValidated, type XmlDocument } from '../../src/protocol/xml.js';
import { DECRYPT_VECTORS } from './crypto/fixtures/vectors.js';
import * as group from './fixtures/group-callbacks.js';

/** The validating path's answer: a document, or the error code it throws. */
function reference(text: string): XmlDocument | string {
  try {
    return parseXmlValidated(text);
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackParseError);
    return (error as CallbackParseError).code;
  }
}

/** The fast path either declines or agrees exactly (values, arrays, null prototypes) with the validating path. */
function expectAgreement(text: string): XmlDocument | undefined {
  const fast = parseWeComXml(text);
  if (fast !== undefined) expect(fast).toStrictEqual(reference(text));
  return fast;
}

const FIXTURES: [string, string][] = [
  ...Object.entries(group).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].startsWith('<')),
  ...['add_to_chat', 'delete_from_chat', 'enter_chat'].map((type): [string, string] => [`xmlEvent(${type})`, group.xmlEvent(type)]),
  ...DECRYPT_VECTORS.filter((v) => v.plaintext.startsWith('<')).map((v): [string, string] => [`${v.name} plaintext`, v.plaintext]),
  ...DECRYPT_VECTORS.map((v): [string, string] => [
    `${v.name} envelope`,
    renderXmlEnvelope({ encrypt: v.encrypt, signature: v.msgSignature, timestamp: v.timestamp, nonce: v.nonce }),
  ]),
  [
    'incoming envelope',
    `<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[${DECRYPT_VECTORS[1]?.encrypt ?? ''}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
  ],
];

describe('parseWeComXml: fixtures', () => {
  it('covers XML fixtures from several files', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(FIXTURES)('takes the fast path and agrees with the validating path: %s', (_, text) => {
    expect(expectAgreement(text)).toBeDefined();
  });

  it('reads the §2.9 example into the documented shape', () => {
    const doc = parseWeComXml(group.XML_TEXT);
    expect(doc?.rootName).toBe('xml');
    const root = doc?.root as Record<string, unknown>;
    expect(root.WebhookUrl).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K');
    expect({ ...(root.From as object) }).toEqual({ UserId: 'u1', Name: 'Name', Alias: 'alias' });
    expect(Object.getPrototypeOf(root)).toBeNull();
  });
});

describe('parseWeComXml: declines what lies outside the WeCom subset', () => {
  it.each([
    ['an attribute', '<xml><A x="1">v</A></xml>'],
    ['a blank inside a tag', '<xml><A >v</A ></xml>'],
    ['a comment', '<xml><!-- c --><A>v</A></xml>'],
    ['a processing instruction', '<xml><?pi x?><A>v</A></xml>'],
    ['a declaration after a blank', ' <?xml version="1.0"?><xml/>'],
    ['an unusual declaration', '<?xml foo?><xml/>'],
    ['an entity reference', '<xml><A>a &amp; b</A></xml>'],
    ['an unknown entity', '<xml><A>&nbsp;</A></xml>'],
    ['a character reference', '<xml><A>&#20013;</A></xml>'],
    ['a carriage return', '<xml>\r\n<A>v</A></xml>'],
    ['a name Object.prototype has', '<xml><toString>v</toString></xml>'],
    ['constructor', '<xml><constructor>v</constructor></xml>'],
    ['__proto__', '<xml><__proto__>v</__proto__></xml>'],
    ['a namespaced name', '<xml><a:b>v</a:b></xml>'],
    ['a dotted name', '<xml><a.b>v</a.b></xml>'],
    ['a name starting with a digit', '<xml><1a>v</1a></xml>'],
    ['mixed content', '<xml>text<A>v</A></xml>'],
    ['CDATA next to an element', '<xml><![CDATA[x]]><A>v</A></xml>'],
    ['deep nesting', `${'<a>'.repeat(100)}x${'</a>'.repeat(100)}`],
    ['a mismatched closing tag', '<xml><A>1</B></xml>'],
    ['a closing tag with a longer name', '<xml><A>1</AB></xml>'],
    ['an unclosed element', '<xml><A>1</A>'],
    ['unterminated CDATA', '<xml><A><![CDATA[oops</A></xml>'],
    ['two roots', '<a>1</a><b>2</b>'],
    ['two self-closed roots', '<a/><b/>'],
    ['trailing junk', '<xml><A>1</A></xml>junk'],
    ['text before the root', 'junk<xml/>'],
    ['text only', 'not xml at all'],
    ['CDATA outside the root', '<![CDATA[x]]><xml/>'],
    ['a stray closing tag', '</xml>'],
  ])('%s', (_, text) => {
    expect(parseWeComXml(text)).toBeUndefined();
    // and parseXml still answers exactly as the validating path does
    const expected = reference(text);
    if (typeof expected === 'string') {
      expect(() => parseXml(text)).toThrow(expect.objectContaining({ code: expected }) as Error);
    } else {
      expect(parseXml(text)).toStrictEqual(expected);
    }
  });

  it('keeps the malformed-XML error code for documents it declines', () => {
    for (const text of ['<xml><A>1</B></xml>', '<xml><A>1</A>', '<a/><b/>', '<xml><A>1</A></xml>junk']) {
      expect(() => parseXml(text)).toThrow(expect.objectContaining({ code: 'callback_xml_malformed' }) as Error);
    }
  });
});

/** A small seeded PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['MsgId', 'ChatId', 'MsgType', 'Content', 'Item', 'MsgItem', 'UserId', 'Name', 'Alias', 'webhook_url', 'A1'];
const WORDS = [
  'ping',
  '你好',
  '看这张图',
  '😀',
  '👨‍👩‍👧',
  '007',
  '12345678901234567890123',
  'a b',
  '@bot',
  'x>y',
  'q]]>r',
  '<!DOCTYPE html>',
  '&amp;',
  '"\'',
  '\u3000',
  '\u00a0',
  '\t',
];
const BLANKS = ['', ' ', '\n', '  \n    ', '\t'];

function generate(random: () => number, odd: boolean): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const blank = (): string => pick(BLANKS);
  const words = (): string => Array.from({ length: Math.floor(random() * 4) }, () => pick(WORDS)).join(pick(['', ' ']));
  const plain = (): string =>
    words()
      .replaceAll('<', '')
      .replaceAll('&', odd ? '&' : '+');
  // "]]>" inside CDATA is written the usual way: split across two sections.
  const escaped = (): string => words().replaceAll(']]>', ']]]]><![CDATA[>');
  const cdata = (): string => `<![CDATA[${escaped()}]]>`;
  const leaf = (): string => {
    switch (Math.floor(random() * 6)) {
      case 0:
        return plain();
      case 1:
        return `${blank()}${cdata()}${blank()}`;
      case 2:
        return `${plain()}${cdata()}${plain()}`;
      case 3:
        return `${cdata()}${blank()}${cdata()}`;
      case 4:
        return `<![CDATA[${escaped()}]]]]><![CDATA[>${escaped()}]]>`;
      default:
        return '';
    }
  };
  const element = (depth: number): string => {
    const name = pick(NAMES);
    const r = random();
    if (r < 0.1) return `<${name}/>`;
    if (depth >= 4 || r < 0.6) return `<${name}>${leaf()}</${name}>`;
    const count = 1 + Math.floor(random() * 4);
    const children = Array.from({ length: count }, () => `${blank()}${element(depth + 1)}`).join('');
    return `<${name}>${children}${blank()}</${name}>`;
  };
  const mixed = (): string => {
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const text = `<MsgItem><MsgType>text</MsgType><Text><Content>${leaf()}</Content></Text></MsgItem>`;
      const image = `<MsgItem><MsgType>image</MsgType><Image><ImageUrl>${cdata()}</ImageUrl></Image></MsgItem>`;
      return `${blank()}${random() < 0.5 ? text : image}`;
    });
    return `<MixedMessage>${items.join('')}${blank()}</MixedMessage>`;
  };
  const fields = Array.from({ length: 1 + Math.floor(random() * 8) }, () => `${blank()}${random() < 0.15 ? mixed() : element(1)}`);
  let body = `<xml>${fields.join('')}${blank()}</xml>`;
  if (odd) {
    const oddities = ['\r\n', '<!-- note -->', ' a="1"', '&#20013;', '<toString>x</toString>', '<?pi?>'];
    const at = body.indexOf('>', 5) + 1;
    const oddity = pick(oddities);
    body = oddity === ' a="1"' ? body.replace('<xml>', '<xml a="1">') : body.slice(0, at) + oddity + body.slice(at);
  }
  const declaration = pick([
    '',
    '',
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
  ]);
  return `${declaration}${pick(['', '\n'])}${body}${pick(['', '\n', '  '])}`;
}

describe('parseWeComXml: generated WeCom-like documents', () => {
  it('takes the fast path for every in-subset document and agrees with the validating path', () => {
    const random = prng(20260525);
    let fast = 0;
    for (let k = 0; k < 400; k++) {
      const text = generate(random, false);
      if (expectAgreement(text) !== undefined) fast++;
    }
    expect(fast).toBe(400);
  });

  it('declines or agrees for documents with an oddity injected', () => {
    const random = prng(7);
    let declined = 0;
    for (let k = 0; k < 200; k++) {
      if (expectAgreement(generate(random, true)) === undefined) declined++;
    }
    expect(declined).toBe(200);
  });

  it('parseXml gives the validating answer for generated bodies as bytes', () => {
    const random = prng(99);
    for (let k = 0; k < 100; k++) {
      const text = generate(random, k % 2 === 0);
      // an injected oddity may land inside a CDATA section and expose a "<!DOCTYPE" there
      const expected = findDtdDeclaration(text) ? 'callback_xml_dtd_forbidden' : reference(text);
      if (typeof expected === 'string') {
        expect(() => parseXml(Buffer.from(text))).toThrow(expect.objectContaining({ code: expected }) as Error);
      } else {
        expect(parseXml(Buffer.from(text))).toStrictEqual(expected);
      }
    }
  });
});
