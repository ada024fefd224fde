import { describe, expect, it } from 'vitest';
import { CallbackParseError } from '../../src/protocol/callback/errors.js';
import { findDtdDeclaration, parseXml } from '../../src/protocol/xml.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackParseError);
    return (error as CallbackParseError).code;
  }
  throw new Error('expected a CallbackParseError');
}

describe('parseXml', () => {
  it('trims text and CDATA, keeps numbers as strings, groups repeated elements', () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
      <xml>
        <A> <![CDATA[ padded ]]> </A>
        <MsgId>12345678901234567890123</MsgId>
        <Zero>007</Zero>
        <L><I>1</I><I>2</I></L>
        <Empty/>
      </xml>`);
    expect(doc.rootName).toBe('xml');
    expect({ ...(doc.root as object) }).toEqual({
      A: 'padded',
      MsgId: '12345678901234567890123',
      Zero: '007',
      L: expect.anything(),
      Empty: '',
    });
    expect((doc.root as Record<string, Record<string, unknown>>).L?.I).toEqual(['1', '2']);
  });

  it('keeps CDATA literal but decodes the predefined entities and character references in text', () => {
    const doc = parseXml('<xml><T>a &amp; b &lt;c&gt; &#20013;&#x6587; &quot;&apos; &nbsp;</T><C><![CDATA[&amp; <x>]]></C></xml>');
    const root = doc.root as Record<string, string>;
    expect(root.T).toBe(`a & b <c> 中文 "' &nbsp;`);
    expect(root.C).toBe('&amp; <x>');
  });

  it('concatenates text and CDATA in document order', () => {
    const root = parseXml('<xml><B>pre <![CDATA[mid]]> post</B></xml>').root as Record<string, string>;
    expect(root.B).toBe('pre mid post');
  });

  it('accepts bytes, a leading BOM and CRLF line ends', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<xml>\r\n<A>中</A>\r\n</xml>')]);
    expect((parseXml(bytes).root as Record<string, string>).A).toBe('中');
    expect((parseXml('\ufeff<xml><A>x</A></xml>').root as Record<string, string>).A).toBe('x');
  });

  it('allows a DOCTYPE-looking text inside CDATA (a user may write it)', () => {
    const root = parseXml('<xml><Content><![CDATA[<!DOCTYPE html> <!ENTITY x>]]></Content></xml>').root as Record<string, string>;
    expect(root.Content).toBe('<!DOCTYPE html> <!ENTITY x>');
  });

  it('does not reach Object.prototype through element names', () => {
    const root = parseXml('<xml><A>x</A></xml>').root as Record<string, unknown>;
    expect(Object.getPrototypeOf(root)).toBeNull();
    expect(root.toString).toBeUndefined();
    // fast-xml-parser refuses these names outright; the refusal surfaces as a parse error
    expect(codeOf(() => parseXml('<xml><__proto__><a>1</a></__proto__></xml>'))).toBe('callback_xml_malformed');
    expect(codeOf(() => parseXml('<xml><constructor>x</constructor></xml>'))).toBe('callback_xml_malformed');
  });
});

describe('parseXml hostile inputs', () => {
  it('refuses XXE with an external entity', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>`;
    expect(codeOf(() => parseXml(xxe))).toBe('callback_xml_dtd_forbidden');
  });

  it('refuses a billion-laughs entity bomb without expanding it', () => {
    const levels = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
    ).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [${levels}]><xml><Content>&lol9;</Content></xml>`;
    expect(codeOf(() => parseXml(bomb))).toBe('callback_xml_dtd_forbidden');
  });

  it('refuses a lower-case or bare ENTITY declaration too', () => {
    expect(findDtdDeclaration('<!doctype x><xml/>')).toBe('DOCTYPE');
    expect(findDtdDeclaration('<xml><!ENTITY a "b"></xml>')).toBe('ENTITY');
    expect(findDtdDeclaration('<xml><!-- c --><![CDATA[<!DOCTYPE]]></xml>')).toBeUndefined();
  });

  it('refuses a 10 MiB body before parsing, as bytes and as a string', () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    expect(codeOf(() => parseXml(big))).toBe('callback_body_too_large');
    expect(codeOf(() => parseXml(big.toString('latin1')))).toBe('callback_body_too_large');
    // a string under 1 MiB of UTF-16 units that is over 1 MiB of UTF-8 bytes
    expect(codeOf(() => parseXml(`<xml>${'中'.repeat(400_000)}</xml>`))).toBe('callback_body_too_large');
  });

  it('honours a configured bound', () => {
    expect(codeOf(() => parseXml('<xml><A>12345</A></xml>', { maxBytes: 10 }))).toBe('callback_body_too_large');
    expect(() => parseXml('<xml/>', { maxBytes: 10 })).not.toThrow();
  });

  it.each([
    ['a lone continuation byte', [0x3c, 0x78, 0x3e, 0x80, 0x3c, 0x2f, 0x78, 0x3e]],
    ['a truncated 3-byte sequence', [0x3c, 0x78, 0x3e, 0xe4, 0xb8, 0x3c, 0x2f, 0x78, 0x3e]],
    ['an overlong encoding of "/"', [0x3c, 0x78, 0x3e, 0xc0, 0xaf, 0x3c, 0x2f, 0x78, 0x3e]],
    ['an encoded surrogate', [0x3c, 0x78, 0x3e, 0xed, 0xa0, 0x80, 0x3c, 0x2f, 0x78, 0x3e]],
    ['GBK bytes', [0x3c, 0x78, 0x3e, 0xd6, 0xd0, 0xce, 0xc4, 0x3c, 0x2f, 0x78, 0x3e]],
  ])('refuses non-UTF-8 bytes: %s', (_, bytes) => {
    expect(codeOf(() => parseXml(Uint8Array.from(bytes)))).toBe('callback_body_not_utf8');
  });

  it.each([
    ['unclosed element', '<xml><A>1</xml>'],
    ['text only', 'not xml at all'],
    ['two roots', '<a>1</a><b>2</b>'],
    ['trailing junk', '<xml><A>1</A></xml>junk'],
    ['unterminated CDATA', '<xml><A><![CDATA[oops</A></xml>'],
    ['deep nesting', `${'<a>'.repeat(500)}x${'</a>'.repeat(500)}`],
  ])('refuses malformed XML: %s', (_, body) => {
    expect(codeOf(() => parseXml(body))).toBe('callback_xml_malformed');
  });

  it('refuses an empty or blank body', () => {
    expect(codeOf(() => parseXml(''))).toBe('callback_body_empty');
    expect(codeOf(() => parseXml(Buffer.from('  \n')))).toBe('callback_body_empty');
  });

  it('carries the SDK code -40002 and a hint', () => {
    try {
      parseXml('<!DOCTYPE x><xml/>');
    } catch (error) {
      expect((error as CallbackParseError).wecomCode).toBe(-40002);
      expect((error as CallbackParseError).hint).toMatch(/not come from WeCom/);
    }
  });
});
