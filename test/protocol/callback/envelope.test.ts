import { describe, expect, it } from 'vitest';
import { detectCallbackFormat, parseEncryptedEnvelope } from '../../../src/protocol/callback/envelope.js';
import { parseCallback } from '../../../src/protocol/callback/parse.js';
import { AI_STREAM } from '../fixtures/aibot-callbacks.js';
import { JSON_TEXT, XML_TEXT } from '../fixtures/group-callbacks.js';
import { parseErrorOf } from './errors.js';

const CIPHER =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

describe('parseEncryptedEnvelope', () => {
  it('extracts Encrypt from the XML envelope (CDATA, whitespace)', () => {
    expect(parseEncryptedEnvelope(`<xml>\n  <Encrypt> <![CDATA[${CIPHER}]]> </Encrypt>\n</xml>`, 'xml')).toBe(CIPHER);
    expect(parseEncryptedEnvelope(Buffer.from(`<xml><ToUserName>x</ToUserName><Encrypt>${CIPHER}</Encrypt></xml>`), 'xml')).toBe(CIPHER);
  });

  it('extracts encrypt from the JSON envelope', () => {
    expect(parseEncryptedEnvelope(JSON.stringify({ encrypt: CIPHER }), 'json')).toBe(CIPHER);
  });

  it('names the missing field', () => {
    expect(parseErrorOf(() => parseEncryptedEnvelope('<xml><Other>1</Other></xml>', 'xml')).field).toBe('Encrypt');
    expect(parseErrorOf(() => parseEncryptedEnvelope('<xml></xml>', 'xml')).field).toBe('Encrypt');
    expect(parseErrorOf(() => parseEncryptedEnvelope('{"Encrypt":"x"}', 'json')).field).toBe('encrypt');
    expect(parseErrorOf(() => parseEncryptedEnvelope('{"encrypt":""}', 'json')).code).toBe('callback_missing_field');
  });

  it('applies the same hostile-input checks as the plaintext parsers', () => {
    expect(parseErrorOf(() => parseEncryptedEnvelope('<!DOCTYPE x [<!ENTITY e "a">]><xml><Encrypt>&e;</Encrypt></xml>', 'xml')).code).toBe(
      'callback_xml_dtd_forbidden',
    );
    expect(parseErrorOf(() => parseEncryptedEnvelope(`{"encrypt":"${'A'.repeat(2_000_000)}"}`, 'json')).code).toBe(
      'callback_body_too_large',
    );
  });
});

describe('detectCallbackFormat and parseCallback', () => {
  it('detects XML and JSON from the first character', () => {
    expect(detectCallbackFormat('  <xml/>')).toBe('xml');
    expect(detectCallbackFormat(Buffer.from('\n{"a":1}'))).toBe('json');
    expect(parseErrorOf(() => detectCallbackFormat('encrypt=abc')).code).toBe('callback_json_malformed');
  });

  it('dispatches on robot and format', () => {
    expect(parseCallback(XML_TEXT, { robot: 'group' })).toMatchObject({ robot: 'group', format: 'xml', type: 'text' });
    expect(parseCallback(JSON_TEXT, { robot: 'group', format: 'json' })).toMatchObject({ robot: 'group', format: 'json' });
    expect(parseCallback(AI_STREAM, { robot: 'aibot' })).toMatchObject({ robot: 'aibot', type: 'stream' });
  });

  it('narrows the union by robot and type', () => {
    const msg = parseCallback(XML_TEXT, { robot: 'group' });
    // compile-time check: after narrowing, text is a string
    const text: string = msg.type === 'text' ? msg.text : '';
    expect(text).toBe('@bot ping');
  });
});
