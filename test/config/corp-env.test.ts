/** The corp app from the environment (WECOM_CORP_*) and the config file: errors name the variable, never the value. */
import { describe, expect, it } from 'vitest';
import { createBotFromConfig } from '../../src/config/create.js';
import { ENV, readEnv } from '../../src/config/env.js';
import { validateConfig } from '../../src/config/schema.js';
import { openStore } from '../../src/store/open.js';
import { CORP_ENV } from '../../src/corp/env.js';
import { createTestCorp } from '../../src/testing/fake-corp/test-corp.js';
import { randomSecrets } from '../../src/testing/fake-group/index.js';

const s = randomSecrets();
const SECRET = 'k0rpS3cret_value-43chars_aaaaaaaaaaaaaaaaaa';
const full = {
  WECOM_CORP_ID: 'ww0123456789abcdef',
  WECOM_CORP_TOKEN: s.token,
  WECOM_CORP_ENCODING_AES_KEY: s.encodingAesKey,
  WECOM_CORP_SECRET: SECRET,
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}

describe('WECOM_CORP_* variables', () => {
  it("are the corp client's names (one constant)", () => {
    expect([ENV.corpId, ENV.corpToken, ENV.corpAesKey, ENV.corpSecret, ENV.corpApiBase]).toEqual([
      CORP_ENV.corpId,
      CORP_ENV.token,
      CORP_ENV.encodingAesKey,
      CORP_ENV.secret,
      CORP_ENV.apiBase,
    ]);
    expect(ENV.corpId).toBe('WECOM_CORP_ID');
  });

  it('configure the corp app: id, callback pair, Secret and API base', () => {
    expect(readEnv({ ...full, WECOM_CORP_API_BASE: 'http://127.0.0.1:9' }).corp).toEqual({
      corpId: 'ww0123456789abcdef',
      token: s.token,
      encodingAesKey: s.encodingAesKey,
      secret: SECRET,
      baseUrl: 'http://127.0.0.1:9',
    });
    const { WECOM_CORP_SECRET: _secret, ...eventsOnly } = full;
    expect(readEnv(eventsOnly).corp).not.toHaveProperty('secret');
    // The id and Secret alone are the corp CLI's business: no corp app for the bot.
    expect(readEnv({ WECOM_CORP_ID: full.WECOM_CORP_ID, WECOM_CORP_SECRET: SECRET }).corp).toBeUndefined();
    expect(readEnv({}).corp).toBeUndefined();
  });

  it('errors name the variable and never carry its value', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...full, WECOM_CORP_ENCODING_AES_KEY: '' }, /WECOM_CORP_ENCODING_AES_KEY is not set but WECOM_CORP_TOKEN is/],
      [{ ...full, WECOM_CORP_TOKEN: '' }, /WECOM_CORP_TOKEN is not set but WECOM_CORP_ENCODING_AES_KEY is/],
      [{ ...full, WECOM_CORP_ID: '' }, /WECOM_CORP_ID is not set but WECOM_CORP_TOKEN is/],
      [{ ...full, WECOM_CORP_ID: 'ww 12' }, /WECOM_CORP_ID must be letters and digits/],
      [{ ...full, WECOM_CORP_SECRET: 'a secret with spaces' }, /WECOM_CORP_SECRET is empty or has spaces/],
      [{ ...full, WECOM_CORP_ENCODING_AES_KEY: `${s.encodingAesKey}=` }, /WECOM_CORP_ENCODING_AES_KEY must be 43 letters and digits/],
    ];
    for (const [env, expected] of cases) {
      const text = message(() => readEnv(env));
      expect(text).toMatch(expected);
      for (const value of [s.token, s.encodingAesKey, SECRET, 'a secret with spaces']) expect(text).not.toContain(value);
    }
  });

  it('the config file takes corp.identity and paths.corp; createBotFromConfig wires the corp app', async () => {
    expect(() => validateConfig({ corp: { secret: 'x' } })).toThrow(/unknown field\(s\) "secret"/);
    expect(() => validateConfig({ paths: { corp: 'corp' } })).toThrow(/paths\.corp: must start with '\/'/);
    const config = validateConfig({ corp: { identity: true }, paths: { corp: '/corp' }, logLevel: 'silent' });
    // On FaaS without a database, identities would die with the instance: refused, as stateful modules are.
    await expect(createBotFromConfig(config, { env: full, runtime: 'faas' })).rejects.toThrow(/corp\.identity .* no shared store/);
    const bot = await createBotFromConfig(config, { env: full, runtime: 'faas', store: await openStore({ databaseUrl: 'memory:' }) });
    expect(bot.options.corp).toMatchObject({ corpId: full.WECOM_CORP_ID, secret: SECRET, identity: true });
    expect(bot.options.paths.corp).toBe('/corp');
    bot.on('customer:add', () => undefined);
    const ex = await createTestCorp(bot).customerAdded({ userId: 'u', externalUserId: 'wmX' });
    expect(ex.body).toBe('success');
    await bot.close();
    await (await bot.store()).close();
  });
});
