import { createLogger } from '../../src/bot/logger.js';

/** A JSON logger whose lines are kept for assertions. */
export function captureLogger(secrets: string[] = [], level: 'debug' | 'info' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    level,
    secrets,
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines, raw };
}

/** A promise with its resolver, for gating handlers. */
export function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}
