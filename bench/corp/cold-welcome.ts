/**
 * A new customer on a cold serverless instance: a fresh `node` loads the SCF bundle that
 * `wecombot build --target scf` made from a config whose `customer:add` handler calls
 * `ctx.sendWelcome`, and handles one signed, encrypted corp callback carrying a WelcomeCode of
 * the fake corp API. Measured: process start to the fake accepting send_welcome_msg (the part
 * of the code's 20 seconds a cold start costs), and to the handler returning; median and p99
 * over N cold starts, next to bare `node -e 0`. Target: p99 <= 1 s.
 *
 * Each run gets a new WelcomeCode (they work once) and nothing but PATH and the corp app's
 * variables in its environment, as on SCF; the token is fetched cold every time, since a
 * memory store dies with the process. The fake runs in this process, on loopback.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../src/cli/commands/build.js';
import { CORP_ENV } from '../../src/corp/env.js';
import { startFakeCorp } from '../../src/testing/fake-corp/server.js';
import { corpCallbackXml, corpEnvelopeXml } from '../../src/testing/fake-corp/corp-events.js';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';
import { median, percentile, timedNode } from '../lib/timing.js';
import { table, type BenchSection } from './section.js';

const TARGET_P99_MS = 1000;

const CONFIG = `export default {
  setup(bot) {
    bot.on('customer:add', (ctx) => ctx.sendWelcome({ text: '你好，我是你的专属顾问', attachments: [{ msgtype: 'link', link: { title: '新人礼包', url: 'https://example.com/gift' } }] }));
  },
};
`;

/** The child: calls main_handler with the event and fails loudly unless WeCom would get `success`. */
const harness = (bundle: string) =>
  [
    `const { main_handler } = require(${JSON.stringify(bundle)});`,
    'main_handler(JSON.parse(process.env.EVENT)).then((r) => {',
    "  if (r.statusCode !== 200 || r.body !== 'success') { console.error(JSON.stringify(r)); process.exit(2); }",
    '  process.exit(0);',
    '}, (e) => { console.error(e); process.exit(3); });',
  ].join('\n');

export function coldWelcomeSection(options: { runs: number }): BenchSection {
  return {
    key: 'coldWelcome',
    title: `cold SCF bundle: process start → send_welcome_msg accepted by the fake (n=${options.runs} cold starts)`,
    async run() {
      const project = await mkdtemp(join(tmpdir(), 'wecombot-bench-corp-cold-'));
      const fake = await startFakeCorp();
      try {
        await writeFile(join(project, 'wecombot.config.mjs'), CONFIG);
        const built = await buildBundle({ target: 'scf', outDir: 'out', cwd: project });
        const app = randomSecrets();
        const signer = new CallbackSigner(app, Date.now, fake.corpId);
        const baseEnv = {
          PATH: process.env.PATH,
          [CORP_ENV.corpId]: fake.corpId,
          [CORP_ENV.token]: app.token,
          [CORP_ENV.encodingAesKey]: app.encodingAesKey,
          [CORP_ENV.secret]: fake.secret,
          [CORP_ENV.apiBase]: fake.baseUrl,
          WECOMBOT_LOG_LEVEL: 'error',
        };
        const script = harness(built.bundle);
        /** One cold start: ms to the welcome accepted and to the process exit. */
        const coldStart = async (i: number) => {
          const externalUserId = `wmCOLD${i}`;
          const welcomeCode = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId });
          const plaintext = corpCallbackXml(
            { corpId: fake.corpId, createTime: Math.floor(Date.now() / 1000) },
            { kind: 'customer', changeType: 'add_external_contact', userId: 'zhangsan', externalUserId, state: 'bench', welcomeCode },
          );
          const req = signer.post('/wecom/corp', plaintext, 'xml', { envelope: (e) => corpEnvelopeXml(fake.corpId, '1000002', e) });
          const event = {
            httpMethod: 'POST',
            path: req.path,
            headers: { 'content-type': 'text/xml' },
            queryString: { ...req.query },
            body: Buffer.from(req.body).toString('utf8'),
          };
          const before = fake.welcomes().length;
          const started = Date.now();
          const exitMs = await timedNode(['-e', script], { ...baseEnv, EVENT: JSON.stringify(event) });
          const welcome = fake.welcomes()[before];
          if (!welcome || welcome.welcomeCode !== welcomeCode)
            throw new Error(`cold start ${i}: the fake accepted no welcome for ${welcomeCode}`);
          return { welcomeMs: welcome.at - started, exitMs };
        };
        const bare: number[] = [];
        await timedNode(['-e', '0'], baseEnv); // warm the file cache for both
        await coldStart(-1);
        const samples: { welcomeMs: number; exitMs: number }[] = [];
        for (let i = 0; i < options.runs; i++) {
          bare.push(await timedNode(['-e', '0'], baseEnv));
          samples.push(await coldStart(i));
        }
        const welcome = samples.map((s) => s.welcomeMs);
        const exit = samples.map((s) => s.exitMs);
        const result = {
          runs: options.runs,
          bareNodeMedianMs: round(median(bare)),
          welcomeMedianMs: round(median(welcome)),
          welcomeP99Ms: round(percentile(welcome, 99)),
          welcomeMaxMs: round(Math.max(...welcome)),
          returnMedianMs: round(median(exit)),
          returnP99Ms: round(percentile(exit, 99)),
          targetP99Ms: TARGET_P99_MS,
          withinTarget: percentile(welcome, 99) <= TARGET_P99_MS,
          gettokenCalls: fake.tokenFetches(),
          bundleBytes: built.bytes,
        };
        const rows = [
          { measure: 'bare node -e 0', 'median ms': result.bareNodeMedianMs, 'p99 ms': round(percentile(bare, 99)), note: '' },
          {
            measure: 'start → welcome accepted',
            'median ms': result.welcomeMedianMs,
            'p99 ms': result.welcomeP99Ms,
            note: `target p99 <= ${TARGET_P99_MS} ms: ${result.withinTarget ? 'met' : 'MISSED'}`,
          },
          {
            measure: 'start → process exit (after return)',
            'median ms': result.returnMedianMs,
            'p99 ms': result.returnP99Ms,
            note: `bundle ${(built.bytes / 1024).toFixed(1)} KiB, ${result.gettokenCalls} gettoken`,
          },
        ];
        return { table: table(rows), json: result };
      } finally {
        await fake.close();
        await rm(project, { recursive: true, force: true });
      }
    },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
