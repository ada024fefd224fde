import { WecombotError } from '../errors.js';

/** A cron expression (or its timezone) was refused when the job was scheduled. */
export class SchedulerCronError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('scheduler_cron', message, options);
  }
}

/** A job definition is unusable: bad name, duplicate name, bad retry policy. */
export class SchedulerConfigError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('scheduler_config', message, options);
  }
}

/** `runDue`/`runNow` named a job that was never scheduled. */
export class SchedulerUnknownJobError extends WecombotError {
  constructor(name: string, known: string[]) {
    super('scheduler_unknown_job', `no job named "${name}"`, {
      hint: known.length ? `scheduled jobs: ${known.join(', ')}` : 'no jobs are scheduled; check the bot configuration',
    });
  }
}
