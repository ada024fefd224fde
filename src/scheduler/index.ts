/**
 * The scheduler: cron parsing, timers and run-once keys. Internal: jobs are declared with
 * `bot.job(...)` (src/bot/jobs.ts), the only public job API; the package root does not export
 * this folder.
 */
export { createScheduler, fireTimeKey } from './scheduler.js';
export type {
  JobContext,
  JobFn,
  JobInfo,
  JobOptions,
  RetryPolicy,
  RunResult,
  Scheduler,
  SchedulerLogger,
  SchedulerOptions,
} from './scheduler.js';
export { parseCron, type CronSchedule } from './cron.js';
export { SchedulerConfigError, SchedulerCronError, SchedulerUnknownJobError } from './errors.js';
export { JOB_NAME_PATTERN, JOB_NAME_RULE, isJobName } from './job-name.js';
