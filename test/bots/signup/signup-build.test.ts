/**
 * `wecombot build --target scf --bot signup`: one function for the scenario, with the sweep as
 * its timer trigger; it refuses to start without a shared store, and with one it signs members
 * up across invocations (each a fresh process, as on SCF) and runs its timer.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/cli/commands/build.js';
import { groupCallbackXml } from '../../../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../../src/testing/fake-wecom/types.js';
import { invokeBundle } from '../../runtime/helpers.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';

const src = resolve(import.meta.dirname, '../../../src');
let project: string;
let fake: FakeWecom;
// A function's store is PostgreSQL (a SQLite file would need the native module deployed too).
const postgres = await serviceAvailable('postgres', POSTGRES_URL);
const namespace = testNamespace('sbuild');

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'wecombot-signup-build-'));
  fake = await startFakeWecom();
  await writeFile(
    join(project, 'wecombot.config.ts'),
    [
      `import { signup, notifier } from ${JSON.stringify(join(src, 'bots/index.ts'))};`,
      'export default {',
      "  bots: [notifier({ weather: { provider: 'offline-sample', location: { city: '北京' } } }),",
      "    signup({ activities: [{ id: 'reading', title: '读书会', startsAt: '2099-06-03T14:00:00+08:00', capacity: 1 }] })],",
      '};',
    ].join('\n'),
  );
});
afterAll(async () => {
  await fake.close();
  if (postgres) await dropPostgresNamespace(POSTGRES_URL, namespace);
  await rm(project, { recursive: true, force: true });
});

describe('signup: one SCF function for the scenario', () => {
  it('bundles the signup bot alone, its sweep as the timer, and signs up across invocations', async () => {
    const built = await buildBundle({ target: 'scf', outDir: 'out-signup', cwd: project, bots: ['signup'] });
    expect(built.jobs).toEqual([{ name: 'signup-sweep', schedule: '0 */2 * * * *' }]);
    const yml = await readFile(join(project, 'out-signup', 'serverless.yml'), 'utf8');
    expect(yml).toMatch(/- http:/);
    expect(yml).toMatch(/- timer:\n\s+parameters:\n\s+name: signup-sweep\n[\s\S]*cronExpression: '0 \*\/2 \* \* \* \* \*'/);
    expect(yml).not.toContain('notifier');

    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const say = (msgId: string, userId: string, text: string) => {
      const req = signer.post(
        '/wecom/callback',
        groupCallbackXml(
          { msgId, webhookUrl: fake.webhookUrl(fake.newKey()), chatId: 'wrS', chatType: 'group', from: { userId } },
          { kind: 'text', content: text },
        ),
        'xml',
      );
      return {
        req,
        event: {
          httpMethod: 'POST',
          path: '/wecom/callback',
          headers: {},
          queryString: { ...req.query },
          body: Buffer.from(req.body).toString('utf8'),
        },
      };
    };
    const env = { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey };
    // Sign-ups kept in an instance-local store would be lost between invocations: refused.
    await expect(invokeBundle(built.bundle, 'main_handler', say('s-0', 'alice', '@bot 报名').event, env, tmpdir())).rejects.toThrow(
      /WECOMBOT_DATABASE_URL/,
    );

    if (!postgres) return;
    const withDb = { ...env, WECOMBOT_DATABASE_URL: POSTGRES_URL, WECOMBOT_STORE_NAMESPACE: namespace };
    const answers: string[] = [];
    for (const [i, who] of ['alice', 'bob', 'alice'].entries()) {
      const { req, event } = say(`s-${i + 1}`, who, '@bot 报名');
      const res = await invokeBundle(built.bundle, 'main_handler', event, withDb, tmpdir());
      answers.push(signer.openReply({ body: String(res.body) }, req)?.content ?? '');
    }
    expect(answers[0]).toContain('编号是 **1**，已报 1/1');
    expect(answers[1]).toContain('候补名单第 **1** 位（编号 2）');
    expect(answers[2]).toBe('你已经报名了「读书会」，编号 1，无需重复报名 😊');

    const timer = await invokeBundle(
      built.bundle,
      'main_handler',
      { Type: 'Timer', TriggerName: 'signup-sweep', Time: new Date().toISOString(), Message: '' },
      withDb,
      tmpdir(),
    );
    expect(timer).toMatchObject({ status: 'ran', name: 'signup-sweep' });
  }, 120_000);
});
