import { describe, expect, it } from 'vitest';
import { parseCallbackQuery } from '../../../src/protocol/crypto/index.js';
import { V4, V6 } from './fixtures/vectors.js';

describe('parseCallbackQuery', () => {
  const url = `https://bot.example.com/wecom?robot_callback_format=json&msg_signature=${V4.msgSignature}&timestamp=${V4.timestamp}&nonce=${V4.nonce}&echostr=${V4.urlForm}`;

  it('decodes the URL form of V4 exactly once', () => {
    const q = parseCallbackQuery(url);
    expect(q).toMatchObject({ msgSignature: V4.msgSignature, timestamp: V4.timestamp, nonce: V4.nonce, echostr: V4.encrypt });
    expect(q.params.get('robot_callback_format')).toBe('json');
  });

  it("keeps a literal '+' (URLSearchParams would turn it into a space)", () => {
    const pasted = `?echostr=${V6.encrypt}&nonce=1`;
    expect(new URLSearchParams(pasted).get('echostr')).not.toBe(V6.encrypt);
    expect(parseCallbackQuery(pasted).echostr).toBe(V6.encrypt);
  });

  it('accepts a bare query string, ignores a fragment, keeps the first duplicate', () => {
    const q = parseCallbackQuery('timestamp=1&timestamp=2&nonce=%E4%BD%A0#frag');
    expect(q.timestamp).toBe('1');
    expect(q.nonce).toBe('你');
    expect(q.msgSignature).toBeUndefined();
  });

  it('reports missing parameters as undefined and empty ones as empty', () => {
    const q = parseCallbackQuery('https://x/?msg_signature=&echostr');
    expect(q.msgSignature).toBe('');
    expect(q.echostr).toBe('');
    expect(q.timestamp).toBeUndefined();
  });
});
