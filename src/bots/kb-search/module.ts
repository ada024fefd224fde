import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BotConfigError } from '../../bot/errors.js';
import { bundleDir, defineBotModule } from '../../bot/module.js';
import { openKnowledgeBase, type KnowledgeBase } from '../../search/open.js';
import { answerQuery } from './answer.js';
import { parseKbSearchConfig, type KbSearchConfig, type KbSearchConfigInput } from './config.js';

/** An index file given as a relative path; PostgreSQL URLs and remote APIs are not files. */
function indexFile(config: KbSearchConfig): string | undefined {
  const { source } = config;
  return typeof source === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : undefined;
}

/**
 * The `kb-search` bot: an @-mention with keywords is answered with the best pages of the
 * knowledge base. It answers any text (`consumes.catchAllText`), so the core runs it after
 * every specific handler (commands, buttons, an FAQ's exact questions), wherever it is listed.
 *
 * The index opens on the first question, not at start-up, so a cold start that only serves a
 * URL verification or a timer never pays for it; a slow first answer simply misses the passive
 * reply and goes out by webhook, as the framework's deadline rules say. That the index file
 * exists is checked at start (one stat), so a missing `kb.idx` stops `serve` with the fix
 * instead of answering every question with silence and a log line.
 */
export const kbSearch = defineBotModule({
  name: 'kb-search',
  options: (input: KbSearchConfigInput) => parseKbSearchConfig(input),
  consumes: { catchAllText: true },
  // A relative index file is packed into `wecombot build` bundles.
  assets: (config) => {
    const file = indexFile(config);
    return file && !isAbsolute(file) ? [file] : [];
  },
  setup(m, config, services) {
    let kb: Promise<KnowledgeBase> | undefined;
    const file = indexFile(config);
    const source = file ? resolve(bundleDir(), file) : config.source;
    if (file) requireIndexFile(source as string, file);
    const open = () => {
      kb ??= openKnowledgeBase(source).catch((err: unknown) => {
        kb = undefined; // let the next question retry, e.g. after the index file is restored
        throw err;
      });
      return kb;
    };
    m.on('text', async (ctx) => {
      const answer = await answerQuery(await open(), ctx.text, config, {
        // The AI bot renders markdown v2, which has no font colours.
        highlight: ctx.robot === 'aibot' ? 'bold' : config.highlight,
      });
      ctx.log.info({ kind: answer.kind, hits: answer.hits.length }, 'kb-search answered');
      await ctx.reply({ markdown: answer.markdown });
    });
    services.log.debug({ source: typeof config.source === 'string' ? 'index' : 'remote' }, 'kb-search installed');
  },
});

/** Start-up check: the index file is there and is a file; the error says how to make one. */
function requireIndexFile(path: string, given: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (isFile) return;
  throw new BotConfigError(`kb-search: source: the index file ${given} does not exist (looked for ${path})`, {
    hint: `build it with \`wecombot kb index docs/ --out ${given}\` (your folders of .md/.html/.txt pages), or point source at an existing index or a postgres:// URL`,
  });
}
