import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, serverlessYml, toScfCron, type BuildResult } from '../../src/cli/commands/build.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';
import { invokeBundle as invoke } from './helpers.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { dropPostgresNamespace } from '../store/cleanup.js';
import { testNamespace } from '../store/conformance.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../src/testing/fake-wecom/types.js';

const src = resolve(import.meta.dirname, '../../src');
const postgres = await serviceAvailable('postgres', POSTGRES_URL);
let project: string;
let fake: FakeWecom;

beforeAll(async () => {
  fake = await startFakeWecom();
  project = await mkdtemp(join(tmpdir(), 'wecombot-build-'));
  await writeFile(
    join(project, 'wecombot.config.ts'),
    [
      `import { defineBotModule } from ${JSON.stringify(join(src, 'bot/index.ts'))};`,
      'const echo = defineBotModule({ name: "echo", consumes: { commands: ["echo"] },',
      '  setup(m) { m.command("echo", (ctx) => ctx.reply(`echo: ${ctx.match as string}`)); },',
      '  jobs: () => [{ name: "morning-report", schedule: "0 9 * * 1-5", handler: (job) => job.push({ markdown: "**早报**" }) }],',
      '});',
      'const nightly = defineBotModule({ name: "nightly", jobs: () => [{ name: "nightly-digest", schedule: "0 0 22 * * *", handler: () => undefined }] });',
      'const tally = defineBotModule({ name: "tally", consumes: { commands: ["tally"] }, session: { initial: () => ({ n: 0 }) },',
      '  setup(m) { m.command("tally", (ctx) => ctx.reply(`tally ${++ctx.session.n}`)); } });',
      'export default { bots: [echo(), nightly(), tally()], ackBudgetMs: 2500, build: { region: "ap-shanghai", timeout: 20 } };',
    ].join('\n'),
  );
});
afterAll(async () => {
  await fake.close();
  await rm(project, { recursive: true, force: true });
});

describe('wecombot build', () => {
  let scf: BuildResult;

  it('scf: index.js + lazy vendor files, scf_bootstrap, serverless.yml with one timer per job', async () => {
    scf = await buildBundle({ target: 'scf', outDir: 'out-scf', cwd: project, bots: ['echo'] });
    expect(scf.jobs).toEqual([{ name: 'morning-report', schedule: '0 9 * * 1-5' }]);
    const names = scf.files.map((f) => f.slice(project.length + 1));
    expect(names).toEqual(
      expect.arrayContaining(['out-scf/index.js', 'out-scf/scf_bootstrap', 'out-scf/serverless.yml', 'out-scf/vendor/undici.js']),
    );
    const boot = join(project, 'out-scf/scf_bootstrap');
    expect((await stat(boot)).mode & 0o111).toBeTruthy();
    expect(await readFile(boot, 'utf8')).toMatch(
      /^#!\/bin\/bash\n[\s\S]*WECOMBOT_WEB_FUNCTION=1\nexec \/var\/lang\/node18\/bin\/node index\.js\n$/,
    );
    const yml = await readFile(join(project, 'out-scf/serverless.yml'), 'utf8');
    expect(yml).toContain('component: scf');
    expect(yml).toContain('name: echo');
    expect(yml).toContain('handler: index.main_handler');
    expect(yml).toContain('region: ap-shanghai');
    expect(yml).toContain('timeout: 20');
    expect(yml).toContain('WECOM_TOKEN: ${env:WECOM_TOKEN}');
    expect(yml).toMatch(/- http:\n\s+parameters:\n\s+qualifier: \$DEFAULT\n\s+authType: NONE/);
    expect(yml).toMatch(
      /- timer:\n\s+parameters:\n\s+name: morning-report\n\s+qualifier: \$DEFAULT\n\s+cronExpression: '0 0 9 \* \* 1-5 \*'/,
    );
    // Native modules stay out of the bundle.
    const code = await readFile(scf.bundle, 'utf8');
    expect(code).not.toContain('better_sqlite3.node');
    expect(code).toContain('./vendor/undici.js');
  });

  it('scf: the bundle answers a Function URL callback and runs the timer job', async () => {
    const secrets = randomSecrets();
    const env = { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey, WECOM_WEBHOOK_URL: fake.url };
    const signer = new CallbackSigner(secrets);
    const req = signer.post(
      '/',
      groupCallbackXml(
        { msgId: 'b-1', webhookUrl: fake.url, chatId: 'wrB', chatType: 'group', from: { userId: 'u' } },
        { kind: 'text', content: '@bot echo 你好' },
      ),
      'xml',
    );
    const event = {
      httpMethod: 'POST',
      path: '/',
      headers: {},
      queryString: { ...req.query },
      body: Buffer.from(req.body).toString('base64'),
      isBase64Encoded: true,
    };
    const res = await invoke(scf.bundle, 'main_handler', event, env);
    expect(res.statusCode).toBe(200);
    expect(signer.openReply({ body: String(res.body) }, req)?.content).toBe('echo: 你好');

    const timer = await invoke(
      scf.bundle,
      'main_handler',
      { Type: 'Timer', TriggerName: 'morning-report', Time: '2025-03-03T01:00:00Z', Message: '' },
      env,
    );
    expect(timer).toMatchObject({ status: 'ran', name: 'morning-report' });
    expect(fake.accepted().map((r) => r.body)).toContainEqual({ msgtype: 'markdown', markdown: { content: '**早报**' } });
  });

  it('scf: the same bundle runs as a Web function (scf_bootstrap sets WECOMBOT_WEB_FUNCTION=1)', async () => {
    const secrets = randomSecrets();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, [scf.bundle], {
      env: {
        PATH: process.env.PATH,
        WECOMBOT_WEB_FUNCTION: '1',
        PORT: String(port),
        WECOM_TOKEN: secrets.token,
        WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
        WECOMBOT_LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    try {
      let health: Response | undefined;
      for (let i = 0; i < 100 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 50));
      }
      expect(await health?.text()).toBe('ok');
      const v = new CallbackSigner(secrets).urlVerification('/wecom/callback');
      const res = await fetch(`http://127.0.0.1:${port}${v.request.path}?${v.request.rawQuery}`);
      expect(await res.text()).toBe(v.echo);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('lambda: exports handler and answers a payload 2.0 event', async () => {
    const lambda = await buildBundle({ target: 'lambda', outDir: 'out-lambda', cwd: project, bots: ['echo', 'nightly'] });
    expect(lambda.files.some((f) => f.endsWith('serverless.yml'))).toBe(false);
    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const v = signer.urlVerification('/wecom/callback');
    const res = await invoke(
      lambda.bundle,
      'handler',
      {
        version: '2.0',
        rawPath: '/wecom/callback',
        rawQueryString: v.request.rawQuery,
        headers: {},
        isBase64Encoded: false,
        requestContext: { http: { method: 'GET' } },
      },
      { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey },
    );
    expect([res.statusCode, res.body]).toEqual([200, v.echo]);
  });

  it('--bot picks modules (one function per scenario); unknown names are refused; --no-http drops the URL trigger', async () => {
    const nightly = await buildBundle({ target: 'scf', outDir: 'out-nightly', cwd: project, bots: ['nightly'], http: false });
    expect(nightly.jobs).toEqual([{ name: 'nightly-digest', schedule: '0 0 22 * * *' }]);
    const yml = await readFile(join(project, 'out-nightly/serverless.yml'), 'utf8');
    expect(yml).not.toContain('- http:');
    expect(yml).toContain("cronExpression: '0 0 22 * * * *'");
    const all = await buildBundle({ target: 'lambda', outDir: 'out-all', cwd: project });
    expect(all.jobs.map((j) => j.name)).toEqual(['morning-report', 'nightly-digest']);
    await expect(buildBundle({ target: 'scf', outDir: 'out-x', cwd: project, bots: ['welcome'] })).rejects.toThrow(
      /--bot welcome: not in .*\(its bots: echo, nightly, tally\)/,
    );
  });

  it('a module that keeps state builds; its function needs WECOMBOT_DATABASE_URL and keeps the session there', async () => {
    const built = await buildBundle({ target: 'scf', outDir: 'out-tally', cwd: project, bots: ['tally'] });
    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const say = (msgId: string) => {
      const req = signer.post(
        '/',
        groupCallbackXml(
          { msgId, webhookUrl: fake.url, chatId: 'wrT', chatType: 'group', from: { userId: 'u' } },
          { kind: 'text', content: '@bot tally' },
        ),
        'xml',
      );
      return {
        req,
        event: {
          httpMethod: 'POST',
          path: '/',
          headers: {},
          queryString: { ...req.query },
          body: Buffer.from(req.body).toString('base64'),
          isBase64Encoded: true,
        },
      };
    };
    const env = { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey };
    await expect(invoke(built.bundle, 'main_handler', say('t-0').event, env)).rejects.toThrow(/WECOMBOT_DATABASE_URL/);
    if (!postgres) return;
    // PostgreSQL: its driver travels in the bundle (SQLite's is native and stays out).
    const namespace = testNamespace('bt');
    const withDb = { ...env, WECOMBOT_DATABASE_URL: POSTGRES_URL, WECOMBOT_STORE_NAMESPACE: namespace };
    try {
      for (const [i, expected] of [
        [1, 'tally 1'],
        [2, 'tally 2'],
      ] as const) {
        const { req, event } = say(`t-${i}`);
        const res = await invoke(built.bundle, 'main_handler', event, withDb);
        expect(signer.openReply({ body: String(res.body) }, req)?.content).toBe(expected);
      }
      // ... and without its Cloudflare probe, whose read of the global Response loads Node's fetch.
      expect(await readFile(join(dirname(built.bundle), 'vendor/pg.js'), 'utf8')).not.toMatch(/typeof Response\s*===?\s*["']function/);
    } finally {
      await dropPostgresNamespace(POSTGRES_URL, namespace);
    }
  });

  it('--runtime: defaults that work, Node < 18 refused with the reason, names of the other platform refused', async () => {
    const scf = await buildBundle({ target: 'scf', outDir: 'out-rt', cwd: project, bots: ['echo'] });
    expect(scf.runtime).toEqual({ name: 'Nodejs18.15', major: 18 });
    expect(scf.deployment.type).toBe('event');
    expect(scf.deployment.why).toMatch(/timer triggers need an event function/);
    const lambda = await buildBundle({ target: 'lambda', outDir: 'out-rt-l', cwd: project, bots: ['echo'], runtime: 'nodejs22.x' });
    expect(lambda.runtime).toEqual({ name: 'nodejs22.x', major: 22 });
    await expect(buildBundle({ target: 'scf', outDir: 'out-rt16', cwd: project, runtime: 'Nodejs16.13' })).rejects.toThrow(
      /--runtime Nodejs16\.13: Node 16 cannot run the bundle \(it needs Node >= 18/,
    );
    await expect(buildBundle({ target: 'lambda', outDir: 'out-rt16', cwd: project, runtime: 'Nodejs18.15' })).rejects.toMatchObject({
      hint: expect.stringMatching(/is an SCF runtime name; for --target lambda use nodejs18\.x/),
    });
  });

  it('cron widening and yml for no jobs', () => {
    expect(toScfCron('*/5 * * * *')).toBe('0 */5 * * * * *');
    expect(toScfCron('30 0 9 * * MON-FRI')).toBe('30 0 9 * * MON-FRI *');
    expect(toScfCron('0 0 9 * * MON-FRI 2030')).toBe('0 0 9 * * MON-FRI 2030');
    expect(serverlessYml({}, [])).not.toContain('timer');
  });

  it('serverless.yml names the execution role (build.role), or has a commented placeholder saying what it needs', () => {
    const withRole = serverlessYml({ role: 'wecombot-scf-invoke' }, []);
    expect(withRole).toMatch(/^ {2}role: 'wecombot-scf-invoke'$/m);
    const without = serverlessYml({}, []);
    expect(without).not.toMatch(/^ {2}role:/m);
    expect(without).toMatch(/^ {2}# role: wecombot-scf-invoke$/m);
    expect(without).toContain('scf:Invoke');
  });
});
