/**
 * The kb-search bot as deployed: the built SCF bundle (`wecombot build --target scf --bot
 * kb-search`) with an index of the shared corpus packed in.
 *
 *   npm run bench:kb-bot [-- --corpus ../shared/kb-corpus] [--runs 11] [--json]
 *
 * - cold: a fresh `node` requires index.js and answers one signed, encrypted Function URL
 *   callback (`@bot <keywords>`), checks that the reply is encrypted, exits; wall time from
 *   spawn, median over runs, next to `node -e 0`. Target: <= 250 ms.
 * - warm: one process answers the `keywords` queries of queries-dev.jsonl one after another,
 *   each timed end to end through main_handler (verify, decrypt, parse, search, render,
 *   encrypt); p50/p95. Target: p95 <= 5 ms.
 * Skips with a message when the corpus is absent (it is not part of the project).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBundle } from '../src/cli/commands/build.js';
import { groupCallbackXml } from '../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../src/testing/fake-group/index.js';
import { dirBytes, median, percentile, timedNode } from './lib/timing.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const json = argv.includes('--json');
const runs = Number(flag('runs', '11'));
const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, flag('corpus', '../shared/kb-corpus'));
const docs = join(corpus, 'qcloud-documents');
const src = join(root, 'src');

function say(line: string): void {
  if (!json) process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  if (!existsSync(docs)) {
    process.stdout.write(
      json ? `${JSON.stringify({ skipped: `corpus not found at ${docs}` })}\n` : `skipped: corpus not found at ${docs}\n`,
    );
    return;
  }
  const queries = readFileSync(join(corpus, 'queries-dev.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { keywords: string }).keywords);
  const project = await mkdtemp(join(tmpdir(), 'wecombot-kb-bot-'));
  try {
    say('indexing the corpus with wecombot kb index …');
    execFileSync(
      process.execPath,
      [
        join(root, 'bin/wecombot.js'),
        'kb',
        'index',
        docs,
        '--out',
        join(project, 'kb.idx'),
        '--base-url',
        'https://cloud.tencent.com/document/',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await writeFile(
      join(project, 'wecombot.config.ts'),
      `import { kbSearch } from ${JSON.stringify(join(src, 'bots/index.ts'))};\nexport default { bots: [kbSearch({ source: './kb.idx' })] };\n`,
    );
    say('building the SCF bundle …');
    const built = await buildBundle({ target: 'scf', outDir: 'out', cwd: project, bots: ['kb-search'] });

    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const eventFor = (text: string, i: number) => {
      const req = signer.post(
        '/wecom/callback',
        groupCallbackXml(
          {
            msgId: `kb-bench-${i}`,
            webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000',
            chatId: 'wrKB',
            chatType: 'group',
            from: { userId: 'alice' },
          },
          { kind: 'text', content: `@bot ${text}` },
        ),
        'xml',
      );
      return {
        httpMethod: 'POST',
        path: '/wecom/callback',
        headers: { 'content-type': 'text/xml' },
        queryString: { ...req.query },
        body: Buffer.from(req.body).toString('utf8'),
      };
    };
    const env = {
      PATH: process.env.PATH,
      WECOM_TOKEN: secrets.token,
      WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
      WECOMBOT_LOG_LEVEL: 'error',
    };

    // Cold: one callback per fresh process. The harness checks the reply is an encrypted envelope.
    const coldEvent = JSON.stringify(eventFor(queries[0] ?? '函数 计费', 0));
    const harness = [
      `require(${JSON.stringify(built.bundle)}).main_handler(JSON.parse(process.env.EVENT)).then((r) => {`,
      "  if (r.statusCode !== 200 || !String(r.body).includes('<Encrypt>')) { console.error(JSON.stringify(r)); process.exit(2); }",
      '}, (e) => { console.error(e); process.exit(3); });',
    ].join('\n');
    const cold: number[] = [];
    const bare: number[] = [];
    await timedNode(['-e', harness], { ...env, EVENT: coldEvent }); // warm the file cache
    for (let i = 0; i < runs; i++) {
      bare.push(await timedNode(['-e', '0'], env));
      cold.push(await timedNode(['-e', harness], { ...env, EVENT: coldEvent }));
    }

    // Warm: every keywords query through main_handler in one process.
    const eventsFile = join(project, 'events.json');
    await writeFile(eventsFile, JSON.stringify(queries.map((q, i) => eventFor(q, i + 1))));
    const warmHarness = [
      `const { main_handler } = require(${JSON.stringify(built.bundle)});`,
      `const events = require(${JSON.stringify(eventsFile)});`,
      '(async () => {',
      '  const ms = [];',
      '  for (const e of events) { const t = process.hrtime.bigint(); const r = await main_handler(e); ms.push(Number(process.hrtime.bigint() - t) / 1e6);',
      '    if (r.statusCode !== 200) { console.error(JSON.stringify(r)); process.exit(2); } }',
      '  process.stdout.write(JSON.stringify(ms));',
      '})();',
    ].join('\n');
    const warm = JSON.parse(
      execFileSync(process.execPath, ['-e', warmHarness], { env, maxBuffer: 64 * 1024 * 1024 }).toString(),
    ) as number[];
    const steady = warm.slice(10); // the first answers still open the index and compile code paths

    const result = {
      node: process.version,
      pagesDir: docs,
      queries: warm.length,
      runs,
      bareNodeMs: Number(median(bare).toFixed(1)),
      coldFirstReplyMs: Number(median(cold).toFixed(1)),
      coldTargetMs: 250,
      warmP50Ms: Number(percentile(steady, 50).toFixed(2)),
      warmP95Ms: Number(percentile(steady, 95).toFixed(2)),
      warmTargetP95Ms: 5,
      bundleBytes: built.bytes,
      indexBytes: statSync(join(project, 'out', 'kb.idx')).size,
      deployBytes: await dirBytes(join(project, 'out')),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
    const rows: [string, string][] = [
      ['bare node -e 0 (median)', `${result.bareNodeMs} ms`],
      ['cold: process start → encrypted reply (median)', `${result.coldFirstReplyMs} ms (target <= 250 ms)`],
      [`warm: end-to-end p50 / p95 (${steady.length} queries)`, `${result.warmP50Ms} / ${result.warmP95Ms} ms (target p95 <= 5 ms)`],
      ['index.js', `${(result.bundleBytes / 1024).toFixed(1)} KiB`],
      ['kb.idx (packed)', mib(result.indexBytes)],
      ['whole function folder', mib(result.deployBytes)],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`kb-search SCF bundle, qcloud-documents, ${runs} cold runs, ${process.version}\n`);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}

await main();
