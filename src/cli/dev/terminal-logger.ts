/**
 * The bot's log in `wecombot dev`: JSON lines would drown the chat, so each line is printed as
 * one short `(log warn) message  key=value` line. Secrets are scrubbed by the logger itself.
 */
import { createLogger, type Logger } from '../../bot/logger.js';

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields every line has, or that say nothing to someone chatting with the bot. */
const SKIPPED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'err']);

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One log line for the terminal. */
export function formatLogLine(json: string): string {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `(log) ${json.trim()}`;
  }
  const level = LEVEL_NAMES[Number(line.level)] ?? String(line.level);
  const err = line.err as { message?: unknown } | undefined;
  const fields = Object.entries(line)
    .filter(([k]) => !SKIPPED.has(k))
    .map(([k, v]) => `${k}=${short(v)}`);
  return [
    `(log ${level}) ${String(line.msg ?? '')}`,
    err?.message ? `: ${String(err.message)}` : '',
    fields.length ? `  ${fields.join(' ')}` : '',
  ].join('');
}

/** A logger printing through `print`; level from WECOMBOT_LOG_LEVEL, default `warn`. */
export function terminalLogger(print: (line: string) => void, level: string | undefined, secrets: readonly string[]): Logger {
  return createLogger({
    level: (level || 'warn') as 'warn',
    secrets,
    destination: { write: (json: string) => print(formatLogLine(json)) },
  });
}
