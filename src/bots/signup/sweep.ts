/**
 * The sweep: one scheduled job (every 2 minutes by default) that expires offers past their
 * deadline and asks the next in line, queues the reminders that are due, and delivers every
 * queued announcement. The scheduler runs each fire time once across instances; the ledger
 * makes each step safe to repeat anyway (a reminder is claimed once per lead time, a notice is
 * claimed before it is pushed), so a late or overlapping run sends nothing twice.
 */
import type { JobDefinition } from '../../bot/jobs.js';
import type { ModuleServices } from '../../bot/module.js';
import { WecombotError } from '../../errors.js';
import type { SignupConfig } from './config.js';
import { deliverNotices, noticeMessage } from './deliver.js';
import type { SignupDesk } from './desk.js';
import { pendingNotices } from './ledger/notices.js';
import type { Activity } from './ledger/rows.js';

/** The job of `signup`; `wecombot build` turns it into an SCF timer trigger named after it. */
export function sweepJob(config: SignupConfig, services: ModuleServices, desk: SignupDesk): JobDefinition {
  return {
    name: config.sweep.name,
    schedule: config.sweep.schedule,
    timezone: config.timezone,
    // The next fire time is minutes away and repeats the work: one retry is enough.
    attempts: 2,
    async handler(job) {
      const totals = await desk.sweep();
      const activities = new Map<string, Activity | undefined>();
      const notices = await pendingNotices(desk.ledger, { limit: 100 });
      const delivered = await deliverNotices(
        desk,
        notices,
        async (notice) => {
          if (!activities.has(notice.activityId)) activities.set(notice.activityId, await desk.find(notice.activityId));
          const activity = activities.get(notice.activityId);
          const webhook = activity?.webhookUrl ?? services.webhookUrl;
          if (!webhook) {
            throw new WecombotError('reply_no_channel', `no webhook for the chat of activity ${notice.activityId}`, {
              hint: 'set WECOM_WEBHOOK_URL, or let a member use the bot in that group once (its callbacks carry the webhook)',
            });
          }
          const { content, options } = noticeMessage(notice.body);
          await job.push(content, { ...options, webhook, ...(activity?.chatId ? { chatid: activity.chatId } : {}) });
        },
        job.log,
      );
      job.log.info({ ...totals, delivered, pending: notices.length - delivered }, 'signup sweep');
    },
  };
}
