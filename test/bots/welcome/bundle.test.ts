/**
 * The welcome scenario as its own SCF function (`wecombot build --target scf --bot welcome`):
 * the bundle, run in a fresh process with only PATH, the corp app's variables and the shared
 * PostgreSQL store, answers a customer:add with `success` after the fake corp API accepted the
 * private welcome with a code from the pool, and the other modules of the config stay out.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, type BuildResult } from '../../../src/cli/commands/build.js';
import { startFakeCorp } from '../../../src/testing/fake-corp/server.js';
import { corpCallbackXml, corpEnvelopeXml } from '../../../src/testing/fake-corp/corp-events.js';
import type { FakeCorp } from '../../../src/testing/fake-corp/types.js';
import { CallbackSigner, randomSecrets } from '../../../src/testing/fake-group/index.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';
import { invokeBundle } from '../../runtime/helpers.js';

let project: string;
let fake: FakeCorp;
let built: BuildResult;
const app = randomSecrets();
const namespace = testNamespace('welcome_scf');

beforeAll(async () => {
  fake = await startFakeCorp();
  project = await mkdtemp(join(tmpdir(), 'wecombot-welcome-scf-'));
  await writeFile(
    join(project, 'wecombot.config.ts'),
    `import { welcome, signup } from ${JSON.stringify(resolve('src/bots/index.ts'))};
export default { bots: [welcome({ text: '欢迎！新人券：{coupon}', lookupNames: false, coupons: { pattern: 'SCF-{XXXXXX}', count: 20 } }), signup({ staff: ['boss'] })] };
`,
  );
  built = await buildBundle({ target: 'scf', outDir: 'out', cwd: project, bots: ['welcome'] });
});
afterAll(async () => {
  await fake.close();
  await rm(project, { recursive: true, force: true });
  if (await serviceAvailable('postgres', POSTGRES_URL)) await dropPostgresNamespace(POSTGRES_URL, namespace);
});

describe('the welcome SCF bundle', () => {
  it('serverless.yml names the function after the scenario; the other module (signup, its sweep timer) stays out', async () => {
    const yml = await readFile(join(project, 'out', 'serverless.yml'), 'utf8');
    expect(yml).toContain('name: welcome');
    expect(yml).not.toContain('signup-sweep');
    expect(built.jobs).toEqual([]);
  });

  it('welcomes a new customer through send_welcome_msg with a code, before the function returns', async () => {
    if (!(await serviceAvailable('postgres', POSTGRES_URL))) return;
    const code = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmSCF' });
    const plaintext = corpCallbackXml(
      { corpId: fake.corpId, createTime: Math.floor(Date.now() / 1000) },
      { kind: 'customer', changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: 'wmSCF', welcomeCode: code },
    );
    const req = new CallbackSigner(app, Date.now, fake.corpId).post('/wecom/corp', plaintext, 'xml', {
      envelope: (e) => corpEnvelopeXml(fake.corpId, '1000002', e),
    });
    const event = {
      httpMethod: 'POST',
      path: '/wecom/corp',
      headers: {},
      queryString: { ...req.query },
      body: Buffer.from(req.body).toString('base64'),
      isBase64Encoded: true,
    };
    const env = {
      WECOM_CORP_ID: fake.corpId,
      WECOM_CORP_TOKEN: app.token,
      WECOM_CORP_ENCODING_AES_KEY: app.encodingAesKey,
      WECOM_CORP_SECRET: fake.secret,
      WECOM_CORP_API_BASE: fake.baseUrl,
      WECOMBOT_DATABASE_URL: POSTGRES_URL,
      WECOMBOT_STORE_NAMESPACE: namespace,
    };
    const res = await invokeBundle(built.bundle, 'main_handler', event, env);
    expect([res.statusCode, res.body]).toEqual([200, 'success']);
    const texts = fake.welcomes().map((w) => (w.body.text as { content: string }).content);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^欢迎！新人券：SCF-[2-9A-HJ-NP-Z]{6}$/);
  });
});
