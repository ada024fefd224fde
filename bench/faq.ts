/**
 * bench:faq — matching paraphrased customer questions to their FAQ entry.
 *
 *   npm run bench:faq [-- --queries FILE] [--corpus ../shared/kb-corpus] [--runs 11] [--json] [--no-nlpjs]
 *
 * The Q&A set is every question heading of the corpus's FAQ pages with its answer (the bot's
 * own Markdown importer, the product folder as group), built here and never written into the
 * repository; product nicknames are learned from the corpus's own definitions (`云联网（…，CCN）`,
 * see faq/aliases.ts) and given to the bot as its synonyms.
 * Per form (colloquial, terse): top-1 accuracy and recall@3 of the ranking; the share of
 * questions the bot answers outright and of those answers that are right; on out-of-scope
 * lines (no relevant page) the false-answer rate. The same figures for nlp.js and for
 * flexsearch + jieba over the headings. Then warm latency of one match (p50/p95) and the cold
 * start of the faq SCF bundle (`wecombot build --target scf --bot faq`, index packed) to its
 * first encrypted answer, over a bare `node -e 0`, fresh processes with only PATH and the
 * robot's secrets in the environment.
 * Skips with a message when the corpus is absent (it is not part of the project).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { faqDigest, FaqIndex } from '../src/bots/faq/faq-index.js';
import { FaqMatcher } from '../src/bots/faq/matcher.js';
import { faqSynonyms } from '../src/bots/faq/synonym-groups.js';
import { buildBundle } from '../src/cli/commands/build.js';
import { groupCallbackXml } from '../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../src/testing/fake-group/index.js';
import { corpusAliases } from './faq/aliases.js';
import { loadCorpusQa } from './faq/corpus.js';
import { flexsearchEngine, nlpjsEngine, type RankingEngine } from './faq/engines.js';
import { median, percentile, timedNode } from './lib/timing.js';
import { BENCH_POSTGRES_URL as postgresUrl, dropPostgresNamespace, postgresReachable } from './lib/services.js';

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
const queriesFile = resolve(flag('queries', join(corpus, 'faq-paraphrase-dev.jsonl')));
const FORMS = ['colloquial', 'terse'] as const;

interface Line {
  id: string;
  question: string | null;
  colloquial: string;
  terse: string;
  relevant: string[];
}

interface FormFigures {
  top1: number;
  recall3: number;
  /** Share of in-scope questions answered outright, and of those the share answered right. */
  answered?: number;
  answerPrecision?: number;
  /** Out-of-scope questions answered outright. */
  falseAnswerRate: number;
}

function say(line: string): void {
  if (!json) process.stderr.write(`${line}\n`);
}

const round = (x: number, d = 3) => Number(x.toFixed(d));

async function main(): Promise<void> {
  if (!existsSync(docs) || !existsSync(queriesFile)) {
    const why = `corpus or queries not found (${docs}, ${queriesFile})`;
    process.stdout.write(json ? `${JSON.stringify({ skipped: why })}\n` : `skipped: ${why}\n`);
    return;
  }
  const lines = readFileSync(queriesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  const inScope = lines.filter((l) => l.relevant.length > 0);
  const outOfScope = lines.filter((l) => l.relevant.length === 0);

  say('importing the corpus FAQ pages …');
  const qa = loadCorpusQa(docs);
  const nicknames = await corpusAliases(docs);
  const synonyms = faqSynonyms(nicknames);
  const started = Date.now();
  const index = await FaqIndex.build(qa, synonyms, 'bench');
  const buildMs = Date.now() - started;
  const matcher = new FaqMatcher(index);
  // An entry is right when it is the line's heading on one of its relevant pages.
  const right = (l: Line, id: number) => l.relevant.includes(qa.pageOf.get(id) ?? '') && index.entry(id)?.question === l.question;

  const wecombot: RankingEngine = {
    name: 'wecombot faq',
    rank: async (q, limit) => matcher.match(q, limit).candidates.map((c) => c.entry.id),
    answers: async (q) => matcher.match(q, 3).kind === 'answer',
  };
  const engines: RankingEngine[] = [wecombot];
  let nlpTrainMs: number | undefined;
  say('training nlp.js and indexing flexsearch …');
  if (!argv.includes('--no-nlpjs')) {
    const nlp = await nlpjsEngine(qa.entries);
    nlpTrainMs = nlp.trainMs;
    engines.push(nlp);
  }
  engines.push(await flexsearchEngine(qa.entries));

  const figures: Record<string, Record<string, FormFigures>> = {};
  for (const engine of engines) {
    figures[engine.name] = {};
    for (const form of FORMS) {
      let top1 = 0;
      let recall3 = 0;
      let answered = 0;
      let answeredRight = 0;
      for (const l of inScope) {
        const ids = await engine.rank(l[form], 3);
        if (ids[0] !== undefined && right(l, ids[0])) top1++;
        if (ids.some((id) => right(l, id))) recall3++;
        if (engine === wecombot && (await engine.answers(l[form]))) {
          answered++;
          if (ids[0] !== undefined && right(l, ids[0])) answeredRight++;
        }
      }
      let falseAnswers = 0;
      for (const l of outOfScope) if (await engine.answers(l[form])) falseAnswers++;
      figures[engine.name]![form] = {
        top1: round(top1 / inScope.length),
        recall3: round(recall3 / inScope.length),
        ...(engine === wecombot
          ? { answered: round(answered / inScope.length), answerPrecision: round(answered ? answeredRight / answered : 0) }
          : {}),
        falseAnswerRate: round(outOfScope.length ? falseAnswers / outOfScope.length : 0),
      };
    }
  }

  // Warm: one match at a time, after a round that compiles the code paths.
  const questions = lines.flatMap((l) => FORMS.map((f) => l[f]));
  for (const q of questions) matcher.match(q, 3);
  const warm: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const q of questions) {
      const t = process.hrtime.bigint();
      matcher.match(q, 3);
      warm.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }

  // The build of a stateful module can fail outside this benchmark's control: report, go on.
  const cold = await coldStart(index, qa.entries.length, inScope[0]?.colloquial ?? '云函数怎么收费').catch((err: unknown) => ({
    coldError: err instanceof Error ? err.message : String(err),
    coldFirstReplyMs: NaN,
    bareNodeMs: NaN,
    coldOverBareMs: NaN,
    indexBytes: index.toBuffer().length,
  }));
  const result = {
    node: process.version,
    queries: queriesFile,
    entries: qa.entries.length,
    pages: qa.pages,
    nicknames: nicknames.length,
    inScope: inScope.length,
    outOfScope: outOfScope.length,
    buildMs,
    ...(nlpTrainMs !== undefined ? { nlpjsTrainMs: nlpTrainMs } : {}),
    engines: figures,
    warmP50Ms: round(percentile(warm, 50), 3),
    warmP95Ms: round(percentile(warm, 95), 3),
    ...cold,
    targets: { colloquial: { recall3: 0.8, top1: 0.6 }, terse: { recall3: 0.8 }, falseAnswerRate: 0.05, warmP95Ms: 2, coldOverBareMs: 150 },
  };
  if (json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
  const out: string[] = [];
  out.push(
    `bench:faq — ${qa.entries.length} entries from ${qa.pages} FAQ pages, ${inScope.length} paraphrased + ${outOfScope.length} out-of-scope questions (${queriesFile.split('/').pop()}), ${process.version}`,
  );
  out.push('');
  out.push('| engine | form | top-1 | recall@3 | answered (right) | false answers, out of scope |');
  out.push('|---|---|---|---|---|---|');
  for (const [name, forms] of Object.entries(figures)) {
    for (const form of FORMS) {
      const f = forms[form]!;
      const answered = f.answered !== undefined ? `${f.answered} (${f.answerPrecision})` : '–';
      out.push(`| ${name} | ${form} | ${f.top1} | ${f.recall3} | ${answered} | ${(f.falseAnswerRate * 100).toFixed(1)} % |`);
    }
  }
  out.push('');
  out.push(`warm match p50 / p95: ${result.warmP50Ms} / ${result.warmP95Ms} ms (target p95 <= 2 ms)`);
  if ('coldError' in cold) out.push(`cold start: not measured (${cold.coldError})`);
  else
    out.push(
      `cold start, faq SCF bundle to its first encrypted answer: ${cold.coldFirstReplyMs} ms, bare node -e 0: ${cold.bareNodeMs} ms, over bare: ${cold.coldOverBareMs} ms (target <= 150 ms)`,
    );
  out.push(
    `index: ${(cold.indexBytes / 1024 / 1024).toFixed(2)} MiB, built in ${buildMs} ms${nlpTrainMs !== undefined ? `; nlp.js trained in ${nlpTrainMs} ms` : ''}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * The faq SCF bundle with the corpus Q&A set (as YAML, in a temporary project) and its index
 * packed; a SQLite file as the shared store, migrated by a first run as a deployed database is.
 */

async function coldStart(index: FaqIndex, entries: number, question: string) {
  const project = await mkdtemp(join(tmpdir(), 'wecombot-faq-bench-'));
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const { stringify } = await import('yaml');
    const text = stringify(index.entries.map((e) => ({ id: e.id, question: e.question, answer: e.answer, group: e.group })));
    await writeFile(join(project, 'faq.yaml'), text);
    // The index of the bundle: the benchmark's, under the digest of this file and the default synonyms.
    const packed = new FaqIndex(index.engine, index.entries, faqDigest(text, faqSynonyms([], { defaults: true })));
    // Nicknames mined from the corpus are options' synonyms here, so the digest must include them.
    const buffer = packed.toBuffer();
    await writeFile(join(project, 'faq.idx'), buffer);
    await writeFile(
      join(project, 'wecombot.config.ts'),
      `import { faq } from ${JSON.stringify(join(root, 'src/bots/index.ts'))};\nexport default { bots: [faq({ source: './faq.yaml', index: './faq.idx' })] };\n`,
    );
    say('building the faq SCF bundle …');
    const built = await buildBundle({ target: 'scf', outDir: 'out', cwd: project, bots: ['faq'] });
    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    // One callback per run: the store is shared, so a repeated MsgId would be a de-duplicated retry.
    const callback = (n: number) => {
      const req = signer.post(
        '/wecom/callback',
        groupCallbackXml(
          {
            msgId: `faq-bench-${n}`,
            webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000',
            chatId: 'wrFAQ',
            chatType: 'group',
            from: { userId: `alice-${n}` },
          },
          { kind: 'text', content: `@bot ${question}` },
        ),
        'xml',
      );
      const event = {
        httpMethod: 'POST',
        path: '/wecom/callback',
        headers: { 'content-type': 'text/xml' },
        queryString: { ...req.query },
        body: Buffer.from(req.body).toString('utf8'),
      };
      return { req, event };
    };
    // The faq bot keeps state (its unanswered-question log), so its function needs a shared
    // database, as deployed: PostgreSQL (SQLite's native driver does not travel in a bundle).
    if (!(await postgresReachable(postgresUrl))) throw new Error(`PostgreSQL not reachable at ${new URL(postgresUrl).host}`);
    const namespace = `faqbench_${process.pid}`;
    cleanup = () => dropPostgresNamespace(postgresUrl, namespace);
    const baseEnv = {
      PATH: process.env.PATH,
      WECOM_TOKEN: secrets.token,
      WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
      WECOMBOT_LOG_LEVEL: 'error',
      WECOMBOT_DATABASE_URL: postgresUrl,
      WECOMBOT_STORE_NAMESPACE: namespace,
    };
    const { req, event } = callback(0);
    const env = { ...baseEnv, EVENT: JSON.stringify(event) };
    const harness = [
      `require(${JSON.stringify(built.bundle)}).main_handler(JSON.parse(process.env.EVENT)).then((r) => {`,
      "  if (r.statusCode !== 200 || !String(r.body).includes('<Encrypt>')) { console.error(JSON.stringify(r)); process.exit(2); }",
      '  process.exit(0);',
      '}, (e) => { console.error(e); process.exit(3); });',
    ].join('\n');
    // First run: migrations, file cache. It must answer (not just acknowledge).
    const first = execFileSync(
      process.execPath,
      ['-e', harness.replace('process.exit(0);', 'process.stdout.write(r.body); process.exit(0);')],
      { env },
    ).toString();
    const reply = signer.openReply({ body: first }, req);
    if (!reply?.content) throw new Error(`the faq bundle did not answer: ${first.slice(0, 200)}`);
    const cold: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(await timedNode(['-e', '0'], baseEnv));
      cold.push(await timedNode(['-e', harness], { ...baseEnv, EVENT: JSON.stringify(callback(i + 1).event) }));
    }
    const coldMs = median(cold);
    const bareMs = median(bare);
    return {
      entriesPacked: entries,
      coldFirstReplyMs: round(coldMs, 1),
      bareNodeMs: round(bareMs, 1),
      coldOverBareMs: round(coldMs - bareMs, 1),
      indexBytes: buffer.length,
      bundleBytes: built.bytes,
      coldReplyKind: reply.msgtype,
    };
  } finally {
    await cleanup?.();
    await rm(project, { recursive: true, force: true });
  }
}

await main();
