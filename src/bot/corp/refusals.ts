/**
 * What a corp event cannot do. A corp callback has no passive reply and no chat webhook: the
 * answer to WeCom is `success`, and anything said to the customer goes through the corp API.
 */
import { ReplyError } from '../errors.js';

const HINT =
  'a corp event has no reply channel: welcome a new customer with ctx.sendWelcome(…) (it uses the WelcomeCode, within 20 s), or call the corp API through ctx.corp (ctx.corp.welcome.send, ctx.corp.massMessages.add, ctx.corp.tags.mark)';

/** `ctx.reply` / `ctx.push` / `ctx.stream` on a corp event. */
export function corpNoReply(what: string): ReplyError {
  return new ReplyError('reply_unsupported', `${what} is not available on a corp event (customer, group or tag change)`, { hint: HINT });
}
