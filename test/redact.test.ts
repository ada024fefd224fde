import { describe, expect, it } from 'vitest';
import { redactError, redactKey, redactSecrets, redactUrl, secretsOfUrl } from '../src/redact.js';

describe('redactSecrets', () => {
  it('hides the value of every secret URL parameter', () => {
    expect(redactSecrets('POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa failed')).toBe(
      'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=*** failed',
    );
    expect(redactSecrets('https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CJ8x-yz')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=***',
    );
    expect(redactSecrets('"https://x/aibot/response?response_code=RC123"')).toBe('"https://x/aibot/response?response_code=***"');
    expect(redactSecrets('https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&access_token=AT.9f')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&access_token=***',
    );
    expect(redactSecrets('postgres://h/db?sslmode=require&password=pw1')).toBe('postgres://h/db?sslmode=require&password=***');
    expect(redactSecrets('GET /cgi-bin/gettoken?corpid=ww1&corpsecret=S3cr3t-x')).toBe('GET /cgi-bin/gettoken?corpid=ww1&corpsecret=***');
  });

  it('keeps the other parameters and the rest of the text', () => {
    expect(redactSecrets('upload_media?type=file&key=abc&debug=1#frag')).toBe('upload_media?type=file&key=***&debug=1#frag');
    expect(redactSecrets('monkey=banana errcode=93000 KEY=Secret')).toBe('monkey=banana errcode=93000 KEY=***');
    expect(redactSecrets('a=1&b=2')).toBe('a=1&b=2');
  });

  it('hides the password of URLs inside text, up to the last @ before the path', () => {
    expect(redactSecrets('cannot connect to postgres://bot:hunter2@db.internal:5432/prod: timeout')).toBe(
      'cannot connect to postgres://bot:***@db.internal:5432/prod: timeout',
    );
    expect(redactSecrets('redis=rediss://:p@ss@cache:6380/2')).toBe('redis=rediss://:***@cache:6380/2');
    // a port is not a password
    expect(redactSecrets('redis://cache:6379/0 and https://h:8443/x')).toBe('redis://cache:6379/0 and https://h:8443/x');
  });

  it('hides each given secret value, and leaves values too short to be worth it', () => {
    expect(redactSecrets('token TOPSECRET in TOPSECRET', ['TOPSECRET'])).toBe('token *** in ***');
    expect(redactSecrets('a b c', ['b'])).toBe('a b c');
  });
});

describe('redactUrl', () => {
  it('hides the password of a database URL, parseable or not', () => {
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactUrl('postgresql://user:p%40ss@db.example:5432/bot')).toBe('postgresql://user:***@db.example:5432/bot');
    expect(redactUrl('postgres://u:se cret@h:xx/db')).toBe('postgres://u:***@h:xx/db');
    expect(redactUrl('sqlite:./a.db')).toBe('sqlite:./a.db');
    expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });

  it('hides secret parameters of the URL too', () => {
    expect(redactUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K-1&debug=1')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***&debug=1',
    );
  });
});

describe('redactKey', () => {
  it('keeps four characters at each end of a key, and nothing of a short one', () => {
    expect(redactKey('693a91f6-7abc-4bc4-97a0-0ec2aaaa5aaa')).toBe('693a…5aaa');
    expect(redactKey('short')).toBe('***');
  });
});

describe('redactError', () => {
  it('returns a clean error as is, and a redacted copy (same name and code) of one that leaks', () => {
    const clean = new Error('connection refused');
    expect(redactError(clean, ['hunter2'])).toBe(clean);
    const leaky = Object.assign(new TypeError('bad url postgres://bot:hunter2@db/x'), { code: 'ERR_INVALID_URL' });
    const copy = redactError(leaky, secretsOfUrl('postgres://bot:hunter2@db/x')) as Error & { code?: string };
    expect(copy).not.toBe(leaky);
    expect(copy.name).toBe('TypeError');
    expect(copy.code).toBe('ERR_INVALID_URL');
    expect(`${copy.message} ${copy.stack}`).not.toContain('hunter2');
    expect(redactError('not an error')).toBe('not an error');
  });

  it('secretsOfUrl lists the URL and its password, raw and decoded', () => {
    expect(secretsOfUrl('postgres://u:p%40ss@h/db')).toEqual(['postgres://u:p%40ss@h/db', 'p%40ss', 'p@ss']);
    expect(secretsOfUrl('postgres://u:se cret@h:xx/db')).toEqual(['postgres://u:se cret@h:xx/db', 'se cret']);
  });
});
