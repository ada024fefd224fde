/** `wecombot corp verify-url`: the corp twin of `crypto verify-url`, receiveid = the corpid. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';
import { runCli as cli } from '../helpers/cli.js';

const CORP_ID = 'ww1234567890abcdef';
const app = randomSecrets();
const urlOf = (signer: CallbackSigner) => {
  const { request, echo } = signer.urlVerification('/wecom/corp');
  return { url: `https://bot.example.com${request.path}?${request.rawQuery}`, echo };
};

describe('wecombot corp verify-url', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of ['WECOM_CORP_ID', 'WECOM_CORP_TOKEN', 'WECOM_CORP_ENCODING_AES_KEY']) delete process.env[name];
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('prints the echostr plaintext of a corp app URL verification', async () => {
    const { url, echo } = urlOf(new CallbackSigner(app, Date.now, CORP_ID));
    const r = await cli('corp', 'verify-url', '--corp-id', CORP_ID, '--token', app.token, '--key', app.encodingAesKey, url);
    expect(r).toEqual({ code: 0, stdout: `${echo}\n`, stderr: '' });
  });

  it('reads the corpid, Token and EncodingAESKey from WECOM_CORP_*', async () => {
    Object.assign(process.env, { WECOM_CORP_ID: CORP_ID, WECOM_CORP_TOKEN: app.token, WECOM_CORP_ENCODING_AES_KEY: app.encodingAesKey });
    const { url, echo } = urlOf(new CallbackSigner(app, Date.now, CORP_ID));
    expect((await cli('corp', 'verify-url', url)).stdout).toBe(`${echo}\n`);
  });

  it("says when the URL was encrypted with a robot's receiveid, not the corpid", async () => {
    const { url } = urlOf(new CallbackSigner(app));
    const r = await cli('corp', 'verify-url', '--corp-id', CORP_ID, '--token', app.token, '--key', app.encodingAesKey, url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`signature OK, but receiveid mismatch: the message carries "", expected "${CORP_ID}"`);
    expect(r.stderr).toContain("a corp app's callbacks carry its corpid as the receiveid");
  });

  it("names the app's receive settings for a wrong token, and never prints the token", async () => {
    const { url } = urlOf(new CallbackSigner(app, Date.now, CORP_ID));
    const r = await cli('corp', 'verify-url', '--corp-id', CORP_ID, '--token', 'wrongToken', '--key', app.encodingAesKey, url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the Token differs from the app's 接收消息 → 设置API接收");
    expect(r.stderr).not.toContain('wrongToken');
  });

  it('needs the corpid', async () => {
    const { url } = urlOf(new CallbackSigner(app, Date.now, CORP_ID));
    const r = await cli('corp', 'verify-url', '--token', app.token, '--key', app.encodingAesKey, url);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--corp-id');
  });
});
