import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/ws/frames.js';

describe('long connection: frame decoding', () => {
  it('keeps every digit of an id of 16 digits or more (the callback body is read from this parse)', () => {
    const text = '{"cmd":"aibot_msg_callback","headers":{"req_id":"r1"},"body":{"msgid":"m","create_time":12345678901234567890}}';
    const decoded = decodeFrame(Buffer.from(text), 1024);
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect((decoded.frame.body as { create_time: unknown }).create_time).toBe('12345678901234567890');
  });

  it('a digit run inside a string stays as it is', () => {
    const decoded = decodeFrame('{"headers":{"req_id":"r2"},"body":{"content":"订单 12345678901234567890"}}', 1024);
    expect(decoded.ok && (decoded.frame.body as { content: string }).content).toBe('订单 12345678901234567890');
  });

  it('strips raw control characters, and rejects what is not a frame with a reason and no content', () => {
    const withControl = decodeFrame('{"headers":{"req_id":"r3"},"body":{"content":"a\u0001b"}}', 1024);
    expect(withControl.ok && (withControl.frame.body as { content: string }).content).toBe('ab');
    expect(decodeFrame('{"headers":{}}', 1024)).toMatchObject({ ok: false, rejection: { reason: 'no_req_id' } });
    const broken = decodeFrame('{"headers":{"req_id":"secret-text"', 1024);
    expect(broken).toMatchObject({ ok: false, rejection: { reason: 'not_json' } });
    expect(JSON.stringify(broken)).not.toContain('secret-text');
    expect(decodeFrame('x'.repeat(2000), 1024)).toMatchObject({ ok: false, rejection: { reason: 'too_large', bytes: 2000 } });
  });
});
