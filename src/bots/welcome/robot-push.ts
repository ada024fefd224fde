/**
 * Pushes the welcome bot makes outside a robot callback: a group welcome on a corp
 * `group:join` (through the robot configured for that customer group) and the low-pool alert
 * (to the ops webhook). The framework gives modules no push of their own in handlers (corp
 * events refuse `ctx.push`: they have no chat webhook), so the bot keeps one WebhookClient,
 * made on first use. It uses the bot's store, so its rate-limit windows are the robot's
 * windows (shared with the bot's own sends and every instance), and sends directly (no
 * outbox): a welcome that arrives an hour late is worse than none.
 *
 * Pushes with `visible_to_user` go through here too: the bot's transport moves `chatid` out of
 * the message before the client validates it, and the check "visible_to_user needs chatid"
 * then refuses the push (reported as a framework gap).
 */
import type { Logger } from 'pino';
import type { WebhookClient } from '../../client/webhook-client.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import type { Store } from '../../store/store.js';

export interface RobotPush {
  /** Sends through `webhook` (to `chatid` when given); throws on failure. */
  send(webhook: string, message: WebhookMessage): Promise<void>;
}

/** A pusher whose client (and HTTP stack) loads on the first push only. */
export function lazyRobotPush(store: Store, log: Logger): RobotPush {
  let client: Promise<WebhookClient> | undefined;
  return {
    async send(webhook, message) {
      client ??= import('../../client/webhook-client.js').then(
        ({ WebhookClient }) => new WebhookClient({ store, outbox: false, logger: log.child({ component: 'webhook' }) }),
      );
      // chatid stays inside the message: the client validates visible_to_user against it.
      await (await client).sendOrThrow(webhook, message);
    },
  };
}
