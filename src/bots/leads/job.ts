/**
 * The claim timer: one job (every minute by default) that posts leads whose post failed and
 * moves each lead unclaimed past its time one step up the chain (the backup, then the
 * manager), each step with a new @. `wecombot serve` runs it from the scheduler; `wecombot
 * build` turns it into an SCF timer trigger, and its state is in the store, so on FaaS each
 * invocation picks up where the last left off. Every step is claimed in the table first, so
 * overlapping runs on several instances send nothing twice.
 */
import type { JobDefinition } from '../../bot/jobs.js';
import type { LeadsDesk } from './desk.js';

export function claimTimerJob(desk: LeadsDesk): JobDefinition {
  return {
    name: desk.config.job.name,
    schedule: desk.config.job.schedule,
    timezone: desk.config.timezone,
    // The next fire time is a minute away and repeats the work.
    attempts: 1,
    async handler(job) {
      const totals = await desk.tick((content, options) => job.push(content, options));
      if (totals.posted || totals.escalated || totals.exhausted) job.log.info(totals, 'leads claim timer');
    },
  };
}
