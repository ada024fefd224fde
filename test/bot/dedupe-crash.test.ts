import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { dedupeKey } from '../../src/bot/dedupe.js';
import { openStore } from '../../src/store/open.js';
import { createTestGroup, randomSecrets } from '../../src/testing/fake-group/index.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { dropPostgresNamespace } from '../store/cleanup.js';
import { captureLogger } from './helpers.js';

const instance = fileURLToPath(new URL('./fixtures/dedupe-crash-instance.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEASE_MS = 3000;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

// Skips without PostgreSQL on a developer's machine; under CI its absence fails the file.
const pgAvailable = await serviceAvailable('postgres', POSTGRES_URL);

describe('de-duplication survives a crash (two instances sharing PostgreSQL)', () => {
  it.skipIf(!pgAvailable)(
    'SIGKILL mid-handler loses nothing: a retry during the lease is dropped, one after it is handled, once',
    async () => {
      const namespace = `crash_${randomBytes(4).toString('hex')}`;
      const store = await openStore({ databaseUrl: POSTGRES_URL, namespace });
      cleanup.push(async () => {
        await store.close();
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      });
      const secrets = randomSecrets();
      const logs = captureLogger([secrets.token, secrets.encodingAesKey], 'info');
      const survivor = createBot({ group: secrets, store, logger: logs.logger, dedupeLeaseMs: LEASE_MS });
      let handled = 0;
      survivor.on('text', (ctx) => {
        handled++;
        return ctx.reply('handled by the survivor');
      });
      const group = await createTestGroup(survivor);
      cleanup.push(() => group.close());
      const msgId = `crash-${namespace}`;
      const request = group.signer.post(
        '/wecom/callback',
        groupCallbackXml(
          { msgId, webhookUrl: group.fake.webhookUrl(group.webhookKey), chatId: group.chatId, chatType: 'group', from: { userId: 'a' } },
          { kind: 'text', content: '@bot hi' },
        ),
        'xml',
      );

      // Instance 1, a real process, takes the callback and dies mid-handler.
      const child = spawn(process.execPath, ['--import', 'tsx', instance], {
        env: {
          ...process.env,
          WECOMBOT_CRASH_DATABASE_URL: POSTGRES_URL,
          WECOMBOT_CRASH_NAMESPACE: namespace,
          WECOMBOT_CRASH_SECRETS: JSON.stringify(secrets),
          WECOMBOT_CRASH_LEASE_MS: String(LEASE_MS),
          WECOMBOT_CRASH_REQUEST: JSON.stringify({ ...request, body: Buffer.from(request.body).toString('base64') }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      cleanup.push(async () => void child.kill('SIGKILL'));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
        child.once('exit', (code) => reject(new Error(`the instance exited (${code}) before its handler started`)));
      });
      const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      // WeCom's retry while the dead instance's lease still holds: acknowledged and dropped.
      const early = await survivor.handle(request);
      expect(early.status).toBe(200);
      expect(early.body).toBe('');
      expect(logs.lines.some((l) => l.msg === 'duplicate callback acknowledged (still being handled)')).toBe(true);
      expect(handled).toBe(0);

      // Later retries: the lease has lapsed, so one of them is handled, and only one.
      let answered = 0;
      for (let i = 0; i < 12 && answered === 0; i++) {
        await sleep(LEASE_MS / 4);
        const ex = await group.send(request);
        if (ex.reply) answered++;
      }
      await survivor.idle();
      expect(answered).toBe(1);
      expect(handled).toBe(1);
      expect((await survivor.handle(request)).body).toBe('');
      expect(handled).toBe(1);
      expect(await store.get(dedupeKey('group', group.chatId, msgId))).toBe('claim:done');
    },
    30_000,
  );
});
