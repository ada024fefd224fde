import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';

const saved = { ...process.env };
const cwd = process.cwd();
afterEach(() => {
  process.env = { ...saved };
  process.chdir(cwd);
});

async function waitFor(url: string): Promise<Response> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(url).catch(() => undefined);
    if (res) return res;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} never answered`);
}

describe('wecombot serve', () => {
  it('serves the config from the current directory and stops on SIGTERM after late work', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-serve-'));
    await writeFile(
      join(dir, 'wecombot.config.mjs'),
      `export default { setup(bot) { bot.command('hi', (ctx) => ctx.reply('hello ' + ctx.from.userId)); } };\n`,
    );
    const secrets = randomSecrets();
    Object.assign(process.env, {
      WECOM_TOKEN: secrets.token,
      WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
      WECOMBOT_DATABASE_URL: 'memory:',
      WECOMBOT_LOG_LEVEL: 'silent',
    });
    process.chdir(dir);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const exit = run(['node', 'wecombot', 'serve', '--port', String(port), '--host', '127.0.0.1']);
    try {
      expect(await (await waitFor(`http://127.0.0.1:${port}/healthz`)).text()).toBe('ok');
      const signer = new CallbackSigner(secrets);
      const req = signer.post(
        '/wecom/callback',
        groupCallbackXml(
          { msgId: 'cli-1', webhookUrl: 'http://127.0.0.1:1/x?key=k', chatId: 'c', chatType: 'group', from: { userId: 'u1' } },
          { kind: 'text', content: '@bot hi' },
        ),
        'xml',
      );
      const res = await fetch(`http://127.0.0.1:${port}${req.path}?${req.rawQuery}`, { method: 'POST', body: Buffer.from(req.body) });
      expect(signer.openReply({ body: await res.text() }, req)?.content).toBe('hello u1');
    } finally {
      process.emit('SIGTERM');
      expect(await exit).toBe(0);
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Ctrl-C (SIGINT) stops it with exit code 130', async () => {
    const secrets = randomSecrets();
    Object.assign(process.env, {
      WECOM_TOKEN: secrets.token,
      WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
      WECOMBOT_DATABASE_URL: 'memory:',
      WECOMBOT_LOG_LEVEL: 'silent',
    });
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-serve-'));
    process.chdir(dir);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const exit = run(['node', 'wecombot', 'serve', '--port', String(port)]);
    try {
      expect((await waitFor(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      process.emit('SIGINT');
      expect(await exit).toBe(130);
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without a robot, naming the variables to set, unless --allow-empty', async () => {
    Object.assign(process.env, { WECOMBOT_DATABASE_URL: 'memory:', WECOMBOT_LOG_LEVEL: 'silent' });
    for (const name of ['WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY', 'WECOM_AIBOT_TOKEN', 'WECOM_AIBOT_ENCODING_AES_KEY', 'WECOM_CORP_TOKEN'])
      delete process.env[name];
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-serve-'));
    process.chdir(dir);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await run(['node', 'wecombot', 'serve', '--port', '0'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/^wecombot: no robot configured: set WECOM_TOKEN and WECOM_ENCODING_AES_KEY .* --allow-empty/);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const exit = run(['node', 'wecombot', 'serve', '--port', String(port), '--allow-empty']);
    try {
      expect((await waitFor(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      process.emit('SIGTERM');
      expect(await exit).toBe(0);
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad config with the field named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-serve-'));
    await writeFile(join(dir, 'wecombot.config.json'), JSON.stringify({ ackBudgetMs: 9000 }));
    process.chdir(dir);
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await run(['node', 'wecombot', 'serve', '--port', '0'])).toBe(1);
    } finally {
      process.stderr.write = write;
      process.chdir(cwd);
      await rm(dir, { recursive: true, force: true });
    }
    expect(errors.join('')).toMatch(/wecombot\.config\.json: ackBudgetMs: must be below 5000/);
  });
});
