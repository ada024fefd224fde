/**
 * The SCF bundle of a config with a corp handler, run in a fresh process with only PATH and the
 * corp app's variables: the corp URL verification, and a customer:add whose welcome the fake
 * accepted before the handler returned. serverless.yml passes the corp variables through.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, type BuildResult } from '../../src/cli/commands/build.js';
import { startFakeCorp } from '../../src/testing/fake-corp/server.js';
import { corpCallbackXml, corpEnvelopeXml } from '../../src/testing/fake-corp/corp-events.js';
import type { FakeCorp } from '../../src/testing/fake-corp/types.js';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';
import { invokeBundle } from './helpers.js';

let project: string;
let fake: FakeCorp;
let built: BuildResult;
const app = randomSecrets();

beforeAll(async () => {
  fake = await startFakeCorp();
  project = await mkdtemp(join(tmpdir(), 'wecombot-corp-bundle-'));
  await writeFile(
    join(project, 'wecombot.config.mjs'),
    "export default { setup(bot) { bot.on('customer:add', (ctx) => ctx.sendWelcome('欢迎 ' + ctx.message.externalUserId)); } };\n",
  );
  built = await buildBundle({ target: 'scf', outDir: 'out', cwd: project });
});
afterAll(async () => {
  await fake.close();
  await rm(project, { recursive: true, force: true });
});

const env = () => ({
  WECOM_CORP_ID: fake.corpId,
  WECOM_CORP_TOKEN: app.token,
  WECOM_CORP_ENCODING_AES_KEY: app.encodingAesKey,
  WECOM_CORP_SECRET: fake.secret,
  WECOM_CORP_API_BASE: fake.baseUrl,
});

describe('an SCF bundle with a corp handler', () => {
  it('answers the corp URL verification with the corpid as receiveid', async () => {
    const v = new CallbackSigner(app, Date.now, fake.corpId).urlVerification('/wecom/corp');
    const res = await invokeBundle(
      built.bundle,
      'main_handler',
      { httpMethod: 'GET', path: '/wecom/corp', headers: {}, queryString: { ...v.request.query } },
      env(),
    );
    expect([res.statusCode, res.body]).toEqual([200, v.echo]);
  });

  it('answers customer:add with success after the fake accepted the welcome', async () => {
    const code = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmBUNDLE' });
    const plaintext = corpCallbackXml(
      { corpId: fake.corpId, createTime: Math.floor(Date.now() / 1000) },
      { kind: 'customer', changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: 'wmBUNDLE', welcomeCode: code },
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
    const res = await invokeBundle(built.bundle, 'main_handler', event, env());
    expect([res.statusCode, res.body]).toEqual([200, 'success']);
    expect(fake.welcomes().map((w) => [w.welcomeCode, (w.body.text as { content: string }).content])).toEqual([[code, '欢迎 wmBUNDLE']]);
  });

  it('serverless.yml passes the corp variables through', async () => {
    const yml = await readFile(join(project, 'out', 'serverless.yml'), 'utf8');
    for (const name of ['WECOM_CORP_ID', 'WECOM_CORP_TOKEN', 'WECOM_CORP_ENCODING_AES_KEY', 'WECOM_CORP_SECRET'])
      expect(yml).toContain(`${name}: \${env:${name}}`);
  });
});
