import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBotFromConfig } from '../../src/config/create.js';
import { readEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { validateConfig } from '../../src/config/schema.js';
import { defineBotModule } from '../../src/bot/module.js';
import { createTestGroup, randomSecrets } from '../../src/testing/fake-group/index.js';
import { DIAGNOSTIC_HELP } from '../../src/bot/diagnostic.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'wecombot-config-'));
  dirs.push(d);
  return d;
}

describe('config', () => {
  it('validation names the field', () => {
    expect(() => validateConfig({ ackBudgetMs: 6000 }, 'wecombot.config.ts')).toThrow(
      /wecombot\.config\.ts: ackBudgetMs: must be below 5000/,
    );
    expect(() => validateConfig({ paths: { callback: 'wecom' } })).toThrow(/paths\.callback: must start with '\/'/);
    expect(() => validateConfig({ bots: [{ name: 'x' }] })).toThrow(/bots\.0: must be a bot module/);
    expect(() => validateConfig({ ackBudget: 1 })).toThrow(/unknown field\(s\) "ackBudget"/);
    expect(() => validateConfig({ build: { runtime: 'node18' } })).toThrow(/build\.runtime/);
    expect(validateConfig({ build: { role: 'wecombot-scf-invoke' } })).toEqual({ build: { role: 'wecombot-scf-invoke' } });
    expect(() => validateConfig({ build: { role: 'a role' } })).toThrow(/build\.role: a CAM role name/);
    expect(validateConfig({ ackBudgetMs: 2000, server: { port: 8080 } })).toEqual({ ackBudgetMs: 2000, server: { port: 8080 } });
  });

  it('environment: errors name the variable, never the value', () => {
    const s = randomSecrets();
    expect(readEnv({ WECOM_TOKEN: s.token, WECOM_ENCODING_AES_KEY: s.encodingAesKey }).group).toEqual(s);
    expect(() => readEnv({ WECOM_TOKEN: s.token })).toThrow(/WECOM_ENCODING_AES_KEY is not set but WECOM_TOKEN is/);
    let message = '';
    try {
      readEnv({ WECOM_AIBOT_TOKEN: s.token, WECOM_AIBOT_ENCODING_AES_KEY: `${s.encodingAesKey}=` });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/WECOM_AIBOT_ENCODING_AES_KEY must be 43 letters and digits \(it has 44 characters\)/);
    expect(message).not.toContain(s.encodingAesKey);
    expect(() => readEnv({ WECOM_WEBHOOK_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' })).toThrow(
      /WECOM_WEBHOOK_URL is not a webhook URL/,
    );
    expect(readEnv({ WECOMBOT_REDIS_URL: 'redis://x' }).sharedStore).toBe(true);
  });

  it('loads wecombot.config.ts, .js and .json', async () => {
    const d = await dir();
    await writeFile(
      join(d, 'wecombot.config.ts'),
      "const n: number = 1234;\nexport default { ackBudgetMs: n, server: { host: '0.0.0.0' } };\n",
    );
    expect(await loadConfig({ cwd: d })).toMatchObject({
      config: { ackBudgetMs: 1234, server: { host: '0.0.0.0' } },
      path: join(d, 'wecombot.config.ts'),
    });
    const j = await dir();
    await writeFile(join(j, 'wecombot.config.json'), JSON.stringify({ maxSkewSeconds: 0 }));
    expect((await loadConfig({ cwd: j })).config).toEqual({ maxSkewSeconds: 0 });
    const m = await dir();
    await writeFile(join(m, 'wecombot.config.mjs'), 'export default { botName: "My Bot", ackBudget: 1 };\n');
    await expect(loadConfig({ cwd: m })).rejects.toThrow(/wecombot\.config\.mjs: \(root\): unknown field\(s\) "ackBudget"/);
    expect(await loadConfig({ cwd: await dir() })).toEqual({ config: {}, path: undefined });
    await expect(loadConfig({ cwd: m, path: 'missing.ts' })).rejects.toThrow(/does not exist/);
  });

  it('no bots configured: the diagnostic bot answers ping with pong and anything else with help', async () => {
    const s = randomSecrets();
    const bot = await createBotFromConfig(
      { logLevel: 'silent' },
      { env: { WECOM_TOKEN: s.token, WECOM_ENCODING_AES_KEY: s.encodingAesKey }, runtime: 'faas' },
    );
    expect(bot.modules).toEqual(['diagnostic']);
    const group = await createTestGroup(bot);
    expect((await group.member('a').says('@bot ping')).reply?.content).toBe('pong');
    expect((await group.member('a').says('@bot 你好')).reply?.content).toBe(DIAGNOSTIC_HELP);
    await group.close();
    await bot.close();
  });

  it('modules install in order, then setup; the first match wins', async () => {
    const s = randomSecrets();
    const order: string[] = [];
    const greeter = defineBotModule<{ word: string }>({
      name: 'greeter',
      options: (o) => {
        if (!o || typeof (o as { word?: unknown }).word !== 'string') throw new Error('greeter.word must be a string');
        return o;
      },
      setup(m, options, services) {
        order.push(`install:${services.log.bindings().module}`);
        m.hears('hi', (c) => c.reply(options.word));
      },
    });
    expect(() => greeter({} as { word: string })).toThrow(/greeter\.word/);
    const bot = await createBotFromConfig(
      { logLevel: 'silent', bots: [greeter({ word: '你好' })], setup: (b) => void b.hears('hi', (c) => c.reply('never')) },
      { env: { WECOM_TOKEN: s.token, WECOM_ENCODING_AES_KEY: s.encodingAesKey }, runtime: 'faas' },
    );
    expect(order).toEqual(['install:greeter']);
    const group = await createTestGroup(bot);
    expect((await group.member('a').says('@bot hi')).reply?.content).toBe('你好');
    await group.close();
    await bot.close();
  });
});
