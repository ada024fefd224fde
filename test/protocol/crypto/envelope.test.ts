import { describe, expect, it } from 'vitest';
import { renderJsonEnvelope, renderXmlEnvelope, WecomCrypto } from '../../../src/protocol/crypto/index.js';
import { DERIVED } from './fixtures/vectors.js';

const reply = {
  encrypt: DERIVED.vectors[0].encrypt,
  signature: DERIVED.vectors[0].signature,
  timestamp: DERIVED.timestamp,
  nonce: DERIVED.nonce,
};

describe('reply envelopes', () => {
  it('renders the XML envelope byte-exact', () => {
    expect(renderXmlEnvelope(reply)).toBe(
      '<xml><Encrypt><![CDATA[scEag1243Fmy/fYz4Ux8Dw0e6o6wIwMgKmiCApYRJNI=]]></Encrypt>' +
        '<MsgSignature><![CDATA[0fd743571983c257946f35cd506ccaa2931f8695]]></MsgSignature>' +
        '<TimeStamp>1476416373</TimeStamp><Nonce><![CDATA[47744683]]></Nonce></xml>',
    );
  });

  it('renders the JSON envelope with a numeric timestamp', () => {
    const json = renderJsonEnvelope(reply);
    expect(json).toBe(
      '{"encrypt":"scEag1243Fmy/fYz4Ux8Dw0e6o6wIwMgKmiCApYRJNI=","msgsignature":"0fd743571983c257946f35cd506ccaa2931f8695","timestamp":1476416373,"nonce":"47744683"}',
    );
    expect(typeof JSON.parse(json).timestamp).toBe('number');
  });

  it('refuses values that would break the envelope', () => {
    expect(() => renderXmlEnvelope({ ...reply, timestamp: '12a' })).toThrow(expect.objectContaining({ code: 'envelope_invalid' }));
    expect(() => renderXmlEnvelope({ ...reply, nonce: 'a]]>b' })).toThrow(expect.objectContaining({ code: 'envelope_invalid' }));
    expect(() => renderXmlEnvelope({ ...reply, nonce: 'a\nb' })).toThrow(expect.objectContaining({ code: 'envelope_invalid' }));
    expect(() => renderJsonEnvelope({ ...reply, nonce: '' })).toThrow(expect.objectContaining({ code: 'envelope_invalid' }));
    expect(() => renderJsonEnvelope({ ...reply, encrypt: 'a<b' })).toThrow(expect.objectContaining({ code: 'envelope_invalid' }));
    expect(() => renderJsonEnvelope({ ...reply, signature: 'ABC' })).toThrow(expect.objectContaining({ code: 'envelope_invalid' }));
  });

  it('WecomCrypto renders both envelopes around a reply the peer can open', () => {
    const wc = new WecomCrypto({ token: DERIVED.set.token, encodingAESKey: DERIVED.set.encodingAESKey });
    const xml = wc.encryptReplyXml('<xml><MsgType>text</MsgType></xml>', { timestamp: 1700000000, nonce: 'abc' });
    const m = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt><MsgSignature><!\[CDATA\[(.+?)\]\]>/.exec(xml)!;
    expect(wc.decryptMessage({ msgSignature: m[2], timestamp: '1700000000', nonce: 'abc', encrypt: m[1] })).toBe(
      '<xml><MsgType>text</MsgType></xml>',
    );
    const json = JSON.parse(wc.encryptReplyJson('{"msgtype":"stream"}', { timestamp: '1700000000', nonce: 'n1' }));
    expect(
      wc.decryptMessage({ msgSignature: json.msgsignature, timestamp: String(json.timestamp), nonce: json.nonce, encrypt: json.encrypt }),
    ).toBe('{"msgtype":"stream"}');
  });
});
