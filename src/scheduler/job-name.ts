/**
 * The one rule for job names. A job's name becomes the name of its platform timer (a Tencent
 * SCF timer trigger, an EventBridge rule), so it follows the strictest of them, SCF's.
 */

/** Letters, digits, `_` and `-`, starting with a letter, at most 60 characters. */
export const JOB_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** The rule in words, for error hints. */
export const JOB_NAME_RULE = 'a letter, then letters, digits, _ or - (at most 60 characters: it becomes the SCF timer trigger name)';

/** True when `name` may name a job. */
export function isJobName(name: string): boolean {
  return JOB_NAME_PATTERN.test(name);
}
