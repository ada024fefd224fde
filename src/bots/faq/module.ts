import { randomBytes } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { Context } from '../../bot/context.js';
import { defineBotModule, type ModuleServices } from '../../bot/module.js';
import { parseFaqConfig, type FaqConfig, type FaqConfigInput } from './config.js';
import { faqEmulatorCommands } from './emulator.js';
import { openFaq } from './loader.js';
import type { FaqMatcher } from './matcher.js';
import { answerParts, handoffText, NO_MATCH_TEXT, OFF_DUTY_TEXT, RESUMED_TEXT, STAFF_ENDED_TEXT, suggestionsReply } from './render.js';
import { onDuty } from './roster.js';
import type { FaqEntry } from './entry.js';
import { UNANSWERED_TABLE, unansweredMigrations } from './unanswered-schema.js';
import type { UnansweredLog } from './unanswered.js';

/** Per member of a chat: unmatched questions in a row, and the last unanswered one (for clicks). */
export interface FaqSession {
  misses: number;
  lastKey?: string;
}

/** Per chat: customers handed over to a human, with the time the bot stays quiet until. */
export interface FaqChatSession {
  handoffs: Record<string, number>;
}

type FaqContext = Context & { session: FaqSession; chatSession: FaqChatSession };

/**
 * The `faq` bot: customers' questions answered from a Q&A file, the closest questions offered
 * as buttons when unsure, a human called in on `转人工` or after two misses, and every
 * unanswered question logged for `wecombot faq unanswered` / `promote`.
 *
 * It answers any text (`consumes.catchAllText`) with priority 10, so it runs before kb-search
 * (priority 0) whatever their order in `bots: [...]`: in a group, a question the FAQ cannot
 * match passes on to the knowledge base instead of getting a "sorry". When another catch-all
 * follows it (kb-search on the same bot), unmatched questions pass on in single chats too and
 * are not counted toward the handoff after misses (`passOn`, on by default then).
 *
 * @example
 * export default defineConfig({
 *   bots: [faq({ source: './faq.yaml', index: './faq.idx', handoff: { roster: [{ userId: 'zhangsan', days: 'mon-fri', hours: '9-18' }] } }), kbSearch({ source: './kb.idx' })],
 * });
 */
export const faq = defineBotModule({
  name: 'faq',
  options: (input: FaqConfigInput) => parseFaqConfig(input),
  consumes: { catchAllText: { priority: 10 }, commands: ['resume', '转人工'], buttons: ['faq'] },
  session: { initial: (): FaqSession => ({ misses: 0 }), ttlMs: 7 * 24 * 3600_000 },
  chatSession: { initial: (): FaqChatSession => ({ handoffs: {} }), ttlMs: 7 * 24 * 3600_000 },
  migrations: unansweredMigrations,
  // The Q&A file (and its index) are packed into `wecombot build` bundles.
  assets: (config) => [config.source, ...(config.index ? [config.index] : [])].filter((f) => !isAbsolute(f)),
  emulator: (config) => faqEmulatorCommands(config),
  setup(m, config, services) {
    const faqOf = lazyFaq(config, services);
    let log: Promise<UnansweredLog> | undefined;
    const unanswered = () =>
      (log ??= import('./unanswered.js').then(
        ({ UnansweredLog }) => new UnansweredLog(() => services.store.db(), services.table(UNANSWERED_TABLE)),
      ));
    const staff = new Set(config.handoff.roster.map((s) => s.userId));
    const isGroup = (ctx: Context) => ctx.chatType === 'group';
    const privately = (ctx: Context) => (config.private && isGroup(ctx) ? { visibleTo: ctx.from.userId } : {});

    async function sendAnswer(ctx: FaqContext, entry: FaqEntry): Promise<void> {
      // An AI bot has one answer channel per message (stream, then response_url once).
      const parts = answerParts(entry, ctx.robot === 'aibot' ? 1 : config.maxAnswerParts);
      for (const markdown of parts) await ctx.reply({ markdown }, privately(ctx));
      ctx.session.misses = 0;
      await services.events.emit('faq.answered', { entryId: String(entry.id), userId: ctx.from.userId, chatId: ctx.chatId });
    }

    async function handOver(ctx: FaqContext, reason: string): Promise<void> {
      const now = config.now();
      const onCall = onDuty(config.handoff.roster, now, config.handoff.timezone);
      ctx.session.misses = 0;
      if (!onCall) {
        ctx.log.info({ reason, onDuty: false }, 'faq handoff: nobody on duty');
        await ctx.reply(OFF_DUTY_TEXT, privately(ctx));
        return;
      }
      ctx.chatSession.handoffs[ctx.from.userId] = now + config.handoff.quietMs;
      ctx.log.info({ reason, staff: onCall.userId }, 'faq handoff');
      await ctx.reply(
        { markdown: handoffText(onCall.name, Math.round(config.handoff.quietMs / 60_000)) },
        { mention: [onCall.userId, ctx.from.userId] },
      );
    }

    m.command('resume', async (ctx) => {
      if (staff.has(ctx.from.userId)) ctx.chatSession.handoffs = {};
      else delete ctx.chatSession.handoffs[ctx.from.userId];
      ctx.session.misses = 0;
      await ctx.reply(RESUMED_TEXT, privately(ctx));
    });
    m.command('转人工', (ctx) => handOver(ctx, 'asked'));

    m.action(/^q-(\d+)$/, async (ctx) => {
      const { matcher } = await faqOf();
      const entry = matcher.index.entry(Number(ctx.match[1]));
      if (!entry) return void (await ctx.reply('这个问题已更新，请重新提问。', privately(ctx)));
      const key = ctx.session.lastKey;
      if (key) {
        ctx.session.lastKey = undefined;
        await (await unanswered()).clicked(key, entry.id);
      }
      await sendAnswer(ctx, entry);
    });

    m.on('text', async (ctx, next) => {
      const text = ctx.text.trim();
      if (!text) return next();
      const now = config.now();
      const user = ctx.from.userId;
      const handoffs = ctx.chatSession.handoffs;
      for (const [customer, until] of Object.entries(handoffs)) if (until <= now) delete handoffs[customer];
      // Defensive reading of "until staff answers": a roster member writing in the chat (the
      // bot only sees messages that @-mention it) ends the chat's handoffs.
      if (staff.has(user) && Object.keys(handoffs).length > 0) {
        ctx.chatSession.handoffs = {};
        return void (await ctx.reply(STAFF_ENDED_TEXT, { visibleTo: user }));
      }
      if (handoffs[user] !== undefined) return void ctx.log.info({ until: handoffs[user] }, 'faq quiet: customer handed over');
      if (config.handoff.keywords.includes(text)) return handOver(ctx, 'asked');

      const { matcher } = await faqOf();
      const match = matcher.match(text, config.suggestions);
      const best = match.candidates[0];
      ctx.log.info(
        { kind: match.kind, entry: best?.entry.id, confidence: best ? Math.round(best.confidence * 100) / 100 : undefined },
        'faq matched',
      );
      if (match.kind === 'answer' && best) return sendAnswer(ctx, best.entry);

      const key = await (await unanswered()).record(text, match.kind === 'suggest' ? 'suggest' : 'none', best?.entry.id ?? null, now);
      ctx.session.lastKey = key;
      if (match.kind === 'suggest') {
        ctx.session.misses = 0;
        const taskId = `faq-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
        // An AI bot's card goes passively while the callback is open; later it would go through
        // the response_url, which takes a card only in a single chat: in a group, a list then.
        // (No await between the check and the reply: the passive slot cannot close in between.)
        const form = ctx.robot !== 'aibot' ? 'group' : isGroup(ctx) && ctx.deadline.responded ? 'list' : 'aibot';
        const reply = suggestionsReply(
          match.candidates.map((c) => c.entry),
          form,
          (id) => m.button(`q-${id}`),
          taskId,
        );
        return void (await ctx.reply(reply, privately(ctx)));
      }
      // Another catch-all answers after the FAQ (passOn, by default when one is installed): the
      // question goes on to it, without a "sorry" and without counting a miss, since the FAQ is
      // not the last word on it.
      if (config.passOn ?? services.catchAllFollows()) return next();
      ctx.session.misses += 1;
      if (config.handoff.afterMisses > 0 && ctx.session.misses >= config.handoff.afterMisses) return handOver(ctx, 'misses');
      // In a group, silence: the next catch-all (kb-search) may know, and a "sorry" to a
      // message meant for others is noise. A single chat expects an answer.
      if (isGroup(ctx)) return next();
      await ctx.reply(NO_MATCH_TEXT);
    });
    services.log.debug({ source: config.source, index: config.index ?? null }, 'faq installed');
  },
});

/** The FAQ opens on the first question, once; a failed open is retried on the next one. */
function lazyFaq(config: FaqConfig, services: ModuleServices): () => Promise<{ matcher: FaqMatcher }> {
  let pending: Promise<{ matcher: FaqMatcher }> | undefined;
  return () =>
    (pending ??= openFaq(config).then(
      (opened) => {
        if (opened.note)
          services.log.warn(
            { note: opened.note, source: config.source },
            'faq index built from the Q&A file (run `wecombot faq index` for fast cold starts)',
          );
        return opened;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    ));
}
