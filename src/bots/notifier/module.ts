import { defineBotModule } from '../../bot/module.js';
import { WecombotError } from '../../errors.js';
import { composeNotifierMessages, type ComposeDeps } from './compose.js';
import { parseNotifierConfig, type NotifierConfigInput } from './config.js';

/** Thrown when the job has nowhere to push. */
export class NotifierConfigError extends WecombotError {
  constructor(message: string) {
    super('notifier_no_webhook', message, { hint: 'set notifier.webhooks or the WECOM_WEBHOOK_URL environment variable' });
  }
}

/**
 * The `notifier` bot: one scheduled job that pushes the day's weather and/or a URL report to
 * one or more robots. It adds no message handlers, so it combines with any other bot, and it
 * deploys alone as a timer-only function.
 *
 * `deps` replaces the weather provider or the sleep between retries (tests, the offline demo).
 */
export const notifier = defineBotModule({
  name: 'notifier',
  options: ({ deps, ...input }: NotifierConfigInput & { deps?: ComposeDeps }) => ({ config: parseNotifierConfig(input), deps: deps ?? {} }),
  jobs: ({ config, deps }, services) => [
    {
      name: config.name,
      schedule: config.schedule,
      timezone: config.timezone,
      async handler(job) {
        const targets = config.webhooks.length > 0 ? config.webhooks : services.webhookUrl ? [services.webhookUrl] : [];
        if (targets.length === 0) throw new NotifierConfigError(`notifier job "${config.name}" has no webhook to push to`);
        const outcome = await composeNotifierMessages(config, deps);
        for (const failure of outcome.failures)
          job.log.warn({ source: failure.source, reason: failure.reason }, 'notifier source failed after retries');
        for (const webhook of targets) {
          for (const markdown of outcome.messages) await job.push({ markdown }, { webhook });
        }
        job.log.info({ messages: outcome.messages.length, targets: targets.length }, 'notifier pushed');
      },
    },
  ],
});
