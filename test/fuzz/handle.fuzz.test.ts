import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { botRequest, type BotRequest } from '../../src/bot/request.js';
import { corpCallbackXml, corpEnvelopeXml } from '../../src/testing/fake-corp/corp-events.js';
import {
  aibotCallbackJson,
  CallbackSigner,
  groupCallbackJson,
  groupCallbackXml,
  randomSecrets,
} from '../../src/testing/fake-group/index.js';
import { FUZZ_TIMEOUT_MS, fuzzParams } from './runs.js';

const CORP_ID = 'ww5b6c7d8e9f0a1b2c';
const group = randomSecrets();
const aibot = randomSecrets();
const corp = randomSecrets();
const bot = createBot({ group, aibot, corp: { corpId: CORP_ID, ...corp }, logLevel: 'silent' } as Parameters<typeof createBot>[0]);
// A handler that answers, so valid cases go the whole way (reply encryption included).
bot.on('text', (ctx) => ctx.reply(`echo ${ctx.text.slice(0, 50)}`));
afterAll(() => bot.close());

const signers = { group: new CallbackSigner(group), aibot: new CallbackSigner(aibot), corp: new CallbackSigner(corp, Date.now, CORP_ID) };
const from = { userId: 'zhangsan' };
const webhookUrl = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k';

/** Plaintexts of each robot kind, valid, then mutated before encryption (the parsers behind valid crypto). */
const plaintext = (msgId: string) => ({
  groupXml: groupCallbackXml({ msgId, webhookUrl, chatId: 'c', chatType: 'group', from }, { kind: 'text', content: '@bot hi' }),
  groupJson: groupCallbackJson({ msgId, webhookUrl, chatId: 'c', chatType: 'group', from }, { kind: 'text', content: '@bot hi' }),
  aibot: aibotCallbackJson({ msgId, aibotId: 'ai', chatType: 'single', from }, { kind: 'text', content: 'hi' }),
  corp: corpCallbackXml(
    { corpId: CORP_ID, createTime: Math.floor(Date.now() / 1000) },
    { kind: 'chat', changeType: 'dismiss', chatId: msgId },
  ),
});
type Kind = keyof ReturnType<typeof plaintext>;

function signed(kind: Kind, text: string): BotRequest {
  if (kind === 'corp')
    return signers.corp.post(bot.options.paths.corp, text, 'xml', { envelope: (e) => corpEnvelopeXml(CORP_ID, '1000002', e) });
  if (kind === 'aibot') return signers.aibot.post(bot.options.paths.aibot, text, 'json');
  return signers.group.post(bot.options.paths.callback, text, kind === 'groupXml' ? 'xml' : 'json');
}

function edit(s: string, at: number, cut: number, insert: string): string {
  const i = Math.min(at, s.length);
  return s.slice(0, i) + insert + s.slice(i + cut);
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('%', '%zz', '\u0000', '<', ']]>', '{"a":', '&', '=', '+'),
);

/** A request mutation: in the plaintext, the body bytes, the query, the method or the headers. */
const mutation = fc.record({
  kind: fc.constantFrom<Kind>('groupXml', 'groupJson', 'aibot', 'corp'),
  where: fc.constantFrom('plaintext', 'body', 'query', 'method', 'none'),
  at: fc.nat({ max: 400 }),
  cut: fc.nat({ max: 20 }),
  insert: hostile,
  id: fc.uuid(),
});

let n = 0;
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function request(m: Mutation): BotRequest {
  const msgId = `${m.id}-${n++}`;
  const text = plaintext(msgId)[m.kind];
  if (m.where === 'plaintext') return signed(m.kind, edit(text, m.at, m.cut, m.insert));
  const req = signed(m.kind, text);
  const url = `${req.path}?${req.rawQuery}`;
  const body = Buffer.from(req.body).toString('latin1');
  if (m.where === 'body')
    return botRequest({ method: 'POST', url, headers: req.headers, body: Buffer.from(edit(body, m.at, m.cut, m.insert), 'latin1') });
  if (m.where === 'query')
    return botRequest({ method: 'POST', url: edit(url, m.at % url.length, m.cut, m.insert), headers: req.headers, body: req.body });
  if (m.where === 'method') return botRequest({ method: m.insert.length % 2 ? 'PUT' : 'GET', url, headers: req.headers, body: req.body });
  return req;
}

describe('fuzz: bot.handle on mutated valid callbacks (group XML and JSON, smart robot, corp app)', () => {
  it(
    'never throws, and answers 2xx or 4xx, never 5xx',
    async () => {
      const seen = { ok: 0, refused: 0, unbuildable: 0 };
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => {
          let req: BotRequest;
          try {
            req = request(m);
          } catch {
            seen.unbuildable++;
            return; // the mutation made a URL the request builder itself refuses: not a request a server gets
          }
          const res = await bot.handle(req);
          seen[res.status < 300 ? 'ok' : 'refused']++;
          expect(res.status, `${m.kind} ${m.where}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${m.kind} ${m.where}`).toBeLessThan(500);
        }),
        fuzzParams(1500),
      );
      await bot.idle();
      // The mix reached both the handlers (valid and duplicate deliveries) and the refusals.
      expect(seen.ok).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(seen.unbuildable);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('the unmutated callbacks of every kind are answered 200', async () => {
    for (const kind of ['groupXml', 'groupJson', 'aibot', 'corp'] as const) {
      const res = await bot.handle(signed(kind, plaintext(`ok-${kind}`)[kind]));
      expect(res.status, kind).toBe(200);
    }
  });
});
