import { describe, expect, it } from 'vitest';
import { WecombotError } from '../../../src/errors.js';
import { KNOWN_ERRCODES, lookupErrcode } from '../../../src/protocol/errcode/table.js';
import { WebhookApiError } from '../../../src/protocol/errcode/webhook-api-error.js';

describe('errcode table', () => {
  it('covers every webhook errcode of the reference', () => {
    for (const code of [
      -1, 40008, 40058, 44004, 45002, 45009, 45033, 93000, 93004, 93008, 93005, 40004, 40006, 44001, 45001, 45007, 301017, 42044, 45008,
    ]) {
      expect(KNOWN_ERRCODES).toContain(code);
    }
  });

  it('gives each a unique stable code and a one-line hint', () => {
    const codes = KNOWN_ERRCODES.map((e) => lookupErrcode(e).code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const errcode of KNOWN_ERRCODES) {
      const info = lookupErrcode(errcode);
      expect(info.code).toMatch(/^wecom_[a-z_]+$/);
      expect(info.hint.length).toBeGreaterThan(15);
      expect(info.hint).not.toContain('\n');
    }
  });

  it('marks what a retry can fix', () => {
    expect(lookupErrcode(45009).retryable).toBe('after-window');
    expect(lookupErrcode(-1).retryable).toBe('yes');
    expect(lookupErrcode(45033).retryable).toBe('yes');
    expect(lookupErrcode(93000).retryable).toBe('no');
    expect(lookupErrcode(40058).retryable).toBe('no');
  });

  it('gives unknown codes a generic entry', () => {
    expect(lookupErrcode(12345)).toEqual({
      errcode: 12345,
      code: 'wecom_unknown_errcode',
      retryable: 'no',
      hint: 'look the code up at https://open.work.weixin.qq.com/devtool/query?e=12345',
    });
    expect(lookupErrcode(-2)).toMatchObject({ errcode: -2, code: 'wecom_unknown_errcode' });
  });
});

describe('WebhookApiError', () => {
  it('carries errcode, redacted errmsg, retryable and hint', () => {
    const error = new WebhookApiError(
      45009,
      'api freq out of limit, hint: [1700000000_1_abc], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=45009 key=SECRETKEY',
    );
    expect(error).toBeInstanceOf(WecombotError);
    expect(error.code).toBe('wecom_rate_limited');
    expect(error.errcode).toBe(45009);
    expect(error.retryable).toBe('after-window');
    expect(error.errmsg).not.toContain('SECRETKEY');
    expect(error.message).toMatch(/^WeCom webhook errcode 45009: api freq out of limit/);
    expect(error.message).not.toContain('SECRETKEY');
    expect(error.describe()).toContain('20 messages per minute');
  });
});
