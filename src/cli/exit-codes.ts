/**
 * The exit codes of every `wecombot` command, so scripts can tell a typo from a refusal:
 * 0 done; 1 the work failed (WeCom said no, the network, a bad config file); 2 the command line
 * or the environment it reads is wrong (commander's usage errors, {@link isUsageError}); 130
 * stopped by Ctrl-C (128 + SIGINT, as shells report it).
 */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, interrupted: 130 } as const);

/** Error codes that mean "the command line is wrong" and exit {@link EXIT.usage}. */
const USAGE_CODES: ReadonlySet<string> = new Set(['cli_usage', 'cli_stdin_tty', 'dev_bad_port']);

/** Whether an error (a WecombotError's `code`) is a usage error. */
export function isUsageError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && USAGE_CODES.has(String((err as { code?: unknown }).code));
}
