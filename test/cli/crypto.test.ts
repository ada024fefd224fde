import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decrypt, encrypt, parseCallbackQuery } from '../../src/protocol/crypto/index.js';
import { runCli as cli, spawnCli } from '../helpers/cli.js';
import { DERIVED, SET_B, V1, V4, V5B, V6 } from '../protocol/crypto/fixtures/vectors.js';

const v4Url = `https://bot.example.com/wecom?msg_signature=${V4.msgSignature}&timestamp=${V4.timestamp}&nonce=${V4.nonce}&echostr=${V4.urlForm}`;
const v6Url = `https://bot.example.com/wecom?msg_signature=${V6.msgSignature}&timestamp=${V6.timestamp}&nonce=${V6.nonce}&echostr=${V6.urlForm}`;

describe('wecombot crypto', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.WECOM_TOKEN;
    delete process.env.WECOM_ENCODING_AES_KEY;
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  describe('sign', () => {
    it('prints the official V1 signature', async () => {
      const r = await cli('crypto', 'sign', '--token', V1.set.token, '--timestamp', V1.timestamp, '--nonce', V1.nonce, V1.encrypt);
      expect(r).toEqual({ code: 0, stdout: `${V1.msgSignature}\n`, stderr: '' });
    });

    it('takes the token from WECOM_TOKEN', async () => {
      process.env.WECOM_TOKEN = V4.set.token;
      const r = await cli('crypto', 'sign', '--timestamp', V4.timestamp, '--nonce', V4.nonce, V4.encrypt);
      expect(r.stdout).toBe(`${V4.msgSignature}\n`);
    });

    it('fails without --nonce', async () => {
      const r = await cli('crypto', 'sign', '--token', 't', '--timestamp', '1', 'abc');
      expect(r.code).not.toBe(0);
    });
  });

  describe('encrypt and decrypt', () => {
    const key = DERIVED.set.encodingAESKey;

    it('encrypt reproduces a derived vector with a fixed random prefix', async () => {
      const r = await cli('crypto', 'encrypt', '--key', key, '--random', DERIVED.random, 'hello');
      expect(r).toEqual({ code: 0, stdout: `${DERIVED.vectors[0].encrypt}\n`, stderr: '' });
    });

    it('encrypt output decrypts to the input, with a receiveid', async () => {
      const r = await cli('crypto', 'encrypt', '--key', key, '--receive-id', 'ww123', '群消息 🚀');
      expect(decrypt(key, r.stdout.trim(), { receiveId: 'ww123' }).message).toBe('群消息 🚀');
    });

    it('decrypt prints the official V5b plaintext', async () => {
      const r = await cli('crypto', 'decrypt', '--key', SET_B.encodingAESKey, '--receive-id', SET_B.receiveId, V5B.encrypt);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('"Content":"hello"');
    });

    it('decrypt says which receiveid the message carries', async () => {
      const r = await cli('crypto', 'decrypt', '--key', SET_B.encodingAESKey, V4.encrypt);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^wecombot: receiveid mismatch: the message carries "wx5823bf96d3bd56c7", expected "" \(WeCom -40005\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('rejects an invalid key without echoing it', async () => {
      const r = await cli('crypto', 'decrypt', '--key', 'tooShortSecretKey', V4.encrypt);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('EncodingAESKey must be 43 letters and digits (got 17 characters)');
      expect(r.stderr).not.toContain('tooShortSecretKey');
    });

    it('rejects bad base64 with its code', async () => {
      const r = await cli('crypto', 'decrypt', '--key', key, 'abc');
      expect(r.stderr).toContain('-40010');
    });
  });

  describe('verify-url', () => {
    it('prints the echostr plaintext of the V4 URL form', async () => {
      const r = await cli(
        'crypto',
        'verify-url',
        '--token',
        V4.set.token,
        '--key',
        V4.set.encodingAESKey,
        '--receive-id',
        V4.set.receiveId,
        v4Url,
      );
      expect(r).toEqual({ code: 0, stdout: `${V4.plaintext}\n`, stderr: '' });
    });

    it('handles the group-robot vector V6 with the default empty receiveid', async () => {
      const r = await cli('crypto', 'verify-url', '--token', V6.set.token, '--key', V6.set.encodingAESKey, v6Url);
      expect(r.stdout).toBe(`${V6.plaintext}\n`);
    });

    it("keeps a literal '+' in a pasted, already-decoded URL", async () => {
      const pasted = `https://bot.example.com/wecom?msg_signature=${V6.msgSignature}&timestamp=${V6.timestamp}&nonce=${V6.nonce}&echostr=${V6.encrypt}`;
      const r = await cli('crypto', 'verify-url', '--token', V6.set.token, '--key', V6.set.encodingAESKey, pasted);
      expect(r.stdout).toBe(`${V6.plaintext}\n`);
    });

    it('shows expected and received signatures for a wrong token', async () => {
      const r = await cli('crypto', 'verify-url', '--token', 'wrongToken', '--key', V4.set.encodingAESKey, v4Url);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the URL has msg_signature=${V4.msgSignature}, the token gives `);
      expect(r.stderr).toMatch(/the token gives [0-9a-f]{40}; the Token differs/);
      expect(r.stderr).not.toContain('wrongToken');
    });

    it("pinpoints a '+' that became a space", async () => {
      const r = await cli('crypto', 'verify-url', '--token', V4.set.token, '--key', V4.set.encodingAESKey, v4Url.replaceAll('%2B', '%20'));
      expect(r.stderr).toContain("echostr had '+' turned into spaces");
    });

    it('pinpoints a doubly encoded echostr', async () => {
      const r = await cli(
        'crypto',
        'verify-url',
        '--token',
        V4.set.token,
        '--key',
        V4.set.encodingAESKey,
        v4Url.replace(V4.urlForm!, encodeURIComponent(V4.urlForm!)),
      );
      expect(r.stderr).toContain('percent-encoded twice');
    });

    it('names the missing parameters', async () => {
      const r = await cli('crypto', 'verify-url', '--token', 't', '--key', V4.set.encodingAESKey, 'https://x/cb?signature=abc&timestamp=1');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("the URL has no msg_signature, nonce, echostr (found 'signature': WeCom sends 'msg_signature')");
    });

    it('says the signature is fine but the key is wrong', async () => {
      const r = await cli('crypto', 'verify-url', '--token', V4.set.token, '--key', DERIVED.set.encodingAESKey, v4Url);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/signature OK, but bad padding.*check WECOM_ENCODING_AES_KEY/);
    });

    it('says the signature is fine but the receiveid differs', async () => {
      const r = await cli('crypto', 'verify-url', '--token', V4.set.token, '--key', V4.set.encodingAESKey, v4Url);
      expect(r.stderr).toContain('signature OK, but receiveid mismatch: the message carries "wx5823bf96d3bd56c7", expected ""');
    });
  });

  describe('stdin (-)', () => {
    it('verify-url reads the URL from stdin, key from the environment', async () => {
      const r = await spawnCli(['crypto', 'verify-url', '--token', V6.set.token, '-'], `${v6Url}\n`, {
        WECOM_ENCODING_AES_KEY: V6.set.encodingAESKey,
      });
      expect(r).toEqual({ code: 0, stdout: `${V6.plaintext}\n`, stderr: '' });
    });

    it('encrypt drops exactly one trailing newline; decrypt reads the ciphertext', async () => {
      const key = DERIVED.set.encodingAESKey;
      const enc = await spawnCli(['crypto', 'encrypt', '--key', key, '-'], '第一行\n第二行 🚀\n');
      expect(enc.code).toBe(0);
      expect(decrypt(key, enc.stdout.trim()).message).toBe('第一行\n第二行 🚀');
      const dec = await spawnCli(['crypto', 'decrypt', '--key', key, '-'], enc.stdout);
      expect(dec.stdout).toBe('第一行\n第二行 🚀\n');
    });

    it('sign reads the ciphertext; a failure exits non-zero with one line', async () => {
      const sig = await spawnCli(
        ['crypto', 'sign', '--token', V1.set.token, '--timestamp', V1.timestamp, '--nonce', V1.nonce, '-'],
        `${V1.encrypt}\n`,
      );
      expect(sig.stdout).toBe(`${V1.msgSignature}\n`);
      const bad = await spawnCli(['crypto', 'decrypt', '--key', DERIVED.set.encodingAESKey, '-'], encrypt(SET_B.encodingAESKey, 'x'));
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/^wecombot: /);
    });
  });

  it('the V4 URL parses to the documented echostr', () => {
    expect(parseCallbackQuery(v4Url).echostr).toBe(V4.encrypt);
  });
});
