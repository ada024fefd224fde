/**
 * SigV4 against AWS's published worked example (IAM User Guide, "Create a signed AWS API
 * request", the ListUsers request of 2015-08-30): the same signature from the same inputs, so
 * the Lambda self-invocation is checked against AWS's numbers, not only against a second
 * implementation of the spec (handoff.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { amzDate, sigV4Headers } from '../../src/runtime/async-invoke/sigv4.js';

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('SigV4 known answer', () => {
  it('GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 at 20150830T123600Z', () => {
    const headers = sigV4Headers(EXAMPLE, {
      method: 'GET',
      service: 'iam',
      region: 'us-east-1',
      host: 'iam.amazonaws.com',
      path: '/',
      query: 'Action=ListUsers&Version=2010-05-08',
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      amzDate: '20150830T123600Z',
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    // fetch sets Host from the URL; it is signed but not sent twice.
    expect(headers).not.toHaveProperty('host');
  });

  it('a session token is sent and signed (the signature changes with it)', () => {
    const request = {
      service: 'lambda',
      region: 'ap-east-1',
      host: 'lambda.ap-east-1.amazonaws.com',
      path: '/2015-03-31/functions/wecombot/invocations',
      body: '{}',
      headers: { 'x-amz-invocation-type': 'Event' },
      amzDate: '20150830T123600Z',
    };
    const plain = sigV4Headers(EXAMPLE, request);
    const withToken = sigV4Headers({ ...EXAMPLE, sessionToken: 'token' }, request);
    expect(withToken['x-amz-security-token']).toBe('token');
    expect(withToken.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-invocation-type;x-amz-security-token,');
    expect(plain.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-invocation-type,');
    expect(withToken.authorization?.slice(-64)).not.toBe(plain.authorization?.slice(-64));
  });

  it('amzDate formats a Date as the basic ISO 8601 form SigV4 signs', () => {
    expect(amzDate(new Date('2015-08-30T12:36:00.123Z'))).toBe('20150830T123600Z');
  });
});
