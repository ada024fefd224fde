/**
 * `customer-add`: a new customer added a staff member (corp `customer:add`, or `customer:half-add`
 * for a 免验证 add). The welcome goes to the customer alone through send_welcome_msg, at once,
 * inside the handler: the WelcomeCode lives 20 seconds and works once, so nothing waits behind
 * a queue. The name lookup and the coupon claim run side by side, each bounded in time.
 *
 * One welcome per (customer, staff member) in the suppression period: a customer who deletes
 * and re-adds the same staff member is not welcomed (nor given a coupon) twice.
 */
import type { Context } from '../../../bot/context.js';
import type { CorpCustomerAddCallback, CorpCustomerHalfAddCallback } from '../../../protocol/callback/corp-types.js';
import { afterWelcome, couponNote, draftWelcome } from '../compose.js';
import type { WelcomeDeps } from '../deps.js';
import type { ChatKey } from '../greetings.js';
import { customerName, displayName } from '../names.js';
import { stashWelcomeCode } from '../welcome-codes.js';

type NewCustomer = CorpCustomerAddCallback | CorpCustomerHalfAddCallback;

/** Leaves an unused WelcomeCode for the `private` fallback of a group welcome. */
async function leaveCode(deps: WelcomeDeps, message: NewCustomer, receivedAt: number): Promise<void> {
  if (!message.welcomeCode || !deps.config.privacy.fallback.includes('private')) return;
  await stashWelcomeCode(deps.kv, message.externalUserId, message.welcomeCode, receivedAt, deps.now()).catch((err: unknown) =>
    deps.log.warn({ err }, 'WelcomeCode could not be kept for a group welcome'),
  );
}

export async function welcomeNewCustomer(ctx: Context, message: NewCustomer, deps: WelcomeDeps, next: () => Promise<void>): Promise<void> {
  const { config, greetings, log } = deps;
  const receivedAt = deps.now();
  const customer = message.externalUserId;
  if (!config.triggers.has('customer-add')) {
    await leaveCode(deps, message, receivedAt);
    return next();
  }
  if (!message.welcomeCode) {
    log.info({ customer, staff: message.userId }, 'no WelcomeCode on this new customer (the admin console welcomes them): nothing to send');
    return next();
  }
  const chat: ChatKey = `staff:${message.userId}`;
  let first: boolean;
  try {
    first = await greetings.claim(customer, chat);
  } catch (err) {
    // The WelcomeCode itself works once, so going on cannot welcome twice.
    log.warn({ err, customer }, 'welcome marks unavailable; welcoming anyway (the WelcomeCode works once)');
    first = true;
  }
  if (!first) {
    log.info(
      { trigger: 'customer-add', customer, staff: message.userId },
      'welcome suppressed: this customer was welcomed by this staff member within suppressFor',
    );
    await leaveCode(deps, message, receivedAt);
    return;
  }

  const name = config.lookupNames ? customerName(ctx, customer, log).then((n) => displayName(n, config.memberName)) : config.memberName;
  const draft = await draftWelcome(deps, {
    situation: { trigger: 'customer-add', chatIds: [], ...(message.state !== undefined && { channel: message.state }), at: receivedAt },
    name,
    customer,
    private: true,
    chat: `staff:${message.userId}`,
  });
  let sent = false;
  try {
    const outcome = await ctx.sendWelcome(draft.text);
    sent = outcome.sent;
    // Not sent (expired, already delivered): ctx.sendWelcome logged why, with its code and hint.
    if (sent)
      log.info(
        { trigger: 'customer-add', customer, staff: message.userId, channel: message.state, via: 'send_welcome_msg', ...couponNote(draft) },
        'welcome sent',
      );
  } finally {
    if (!sent) await greetings.release(customer, chat).catch(() => undefined);
  }
  await afterWelcome(deps, draft);
}
