/**
 * A corp app callback through the router. There is no passive reply: WeCom gets `success` when
 * the handler ends or the ack budget is spent, whichever is first, and the handler goes on in
 * `pending` (which a FaaS adapter awaits before returning, so a welcome is sent before the
 * instance freezes). Retries of one event are de-duplicated on its key (corp-key.ts).
 */
import type { Logger } from 'pino';
import type { CorpCallback } from '../../protocol/callback/corp-types.js';
import type { Identities } from '../../identity/identities.js';
import { Context } from '../context.js';
import type { DispatchServices } from '../dispatch.js';
import type { OutgoingReply } from '../reply-content.js';
import { ReplyEnvelope } from '../reply-envelope.js';
import { respond, type BotResponse } from '../request.js';
import { linkCustomer } from './identity.js';
import { corpNoReply } from './refusals.js';
import { sendWelcome } from './welcome.js';

/** What the bot lends the corp path. */
export interface CorpHost {
  log: Logger;
  services: DispatchServices;
  /** True the first time this event key is seen (across instances sharing the store). */
  firstDelivery(msgId: string): Promise<boolean>;
  /** Set when `corp.identity` is on: new customers are linked to one identity. */
  identities: Identities | undefined;
}

/**
 * The answer WeCom expects from an app callback: `success` (an empty 200 is also accepted, but
 * `success` satisfies every reading of the docs; [OFFICIAL] 96466 "接收消息协议的说明").
 */
export function corpAck(): BotResponse {
  return respond(200, 'success');
}

/** Answers one corp callback: unknown ones and retries are acknowledged, the rest dispatched. */
export async function answerCorp(message: CorpCallback, host: CorpHost): Promise<BotResponse> {
  if (message.type === 'unknown') {
    // Other app events and new change types: acknowledged, so WeCom does not retry them.
    host.log.warn(
      { robot: 'corp', rawType: message.rawType, rawEventType: message.rawEventType, rawChangeType: message.rawChangeType },
      'unknown callback type acknowledged',
    );
    return corpAck();
  }
  if (!(await host.firstDelivery(message.msgId))) {
    host.log.info(
      { robot: 'corp', type: message.type, changeType: message.changeType, createTime: message.createTime },
      'duplicate callback acknowledged (already handled)',
    );
    return corpAck();
  }
  return dispatchCorp(message, host);
}

async function dispatchCorp(message: Exclude<CorpCallback, { type: 'unknown' }>, host: CorpHost): Promise<BotResponse> {
  const s = host.services;
  const receivedAt = s.clock.now();
  let childLog: Logger | undefined;
  const log = () => (childLog ??= s.log.child({ robot: 'corp', type: message.type, changeType: message.changeType }));
  const refuse = (what: string) => Promise.reject(corpNoReply(what));

  const envelope = new ReplyEnvelope<OutgoingReply>({
    clock: s.clock,
    budgetMs: s.ackBudgetMs,
    canBePassive: () => false,
    sendLate: () => refuse('ctx.reply'),
  });
  const identity = host.identities ? linkCustomer(host.identities, message, log) : undefined;
  const ctx = new Context({
    message,
    text: '',
    mentionedBot: false,
    store: s.store,
    log,
    envelope,
    push: () => refuse('ctx.push'),
    chatInfo: () => refuse('ctx.chatInfo()'),
    stream: () => ({ id: '', update: () => refuse('ctx.stream'), finish: () => refuse('ctx.stream') }),
    updateCard: () => refuse('ctx.updateCard'),
    corp: s.corp,
    sendWelcome: (content) => sendWelcome(message, content, { corp: s.corp, log, receivedAt, now: () => s.clock.now() }),
    ...(identity && { identity }),
  });

  const work = s.run(ctx).finally(() => envelope.close());
  await envelope.decision;
  const pending = work
    .then(async () => {
      // The link is made whether or not a handler asked for it.
      await identity?.();
      await s.flush();
    })
    .catch((err: unknown) => log().error({ err }, 'late work failed'));
  return { ...corpAck(), pending };
}
