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
