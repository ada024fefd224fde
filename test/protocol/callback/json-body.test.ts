import { describe, expect, it } from 'vitest';
import { CallbackParseError } from '../../../src/protocol/callback/errors.js';
import { parseJsonBody } from '../../../src/protocol/callback/json-body.js';

describe('parseJsonBody', () => {
  it('reports a syntax error by position, never quoting the body or keeping the parser error', () => {
    const body = 'SECRETKEY-0123456789 is not json';
    let caught: unknown;
    try {
      parseJsonBody(body);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CallbackParseError);
    const err = caught as CallbackParseError;
    expect(err.code).toBe('callback_json_malformed');
    expect(err.message).not.toContain('SECRETKEY');
    expect(err.cause).toBeUndefined();
  });

  it('names the body it was given', () => {
    expect(() => parseJsonBody('[1]', {}, 'flat JSON body')).toThrow('flat JSON body must be an object');
  });
});
