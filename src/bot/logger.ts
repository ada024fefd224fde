/**
 * Structured JSON logs (pino) with secrets redacted: known secret fields are censored by path,
 * and every string argument is scrubbed of URL secrets and of the configured token/key values.
 */
import { pino, stdSerializers, destination, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { scrubSecrets } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Default `info`, or `WECOMBOT_LOG_LEVEL`. */
  level?: LevelWithSilent;
  /** Secret values to scrub wherever they appear (tokens, EncodingAESKeys, webhook keys). */
  secrets?: readonly string[];
  /** Where the JSON lines go; default stdout. */
  destination?: DestinationStream;
}

const REDACT_PATHS = [
  'token',
  'encodingAesKey',
  'aesKey',
  'webhookUrl',
  'password',
  'secret',
  '*.token',
  '*.encodingAesKey',
  '*.aesKey',
  '*.webhookUrl',
  '*.password',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
];

function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets, depth + 1);
  return out;
}

/**
 * Creates the bot's logger.
 *
 * @example const log = createLogger({ level: 'debug', secrets: [token] });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const level = options.level ?? (process.env.WECOMBOT_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  return pino(
    {
      name: 'wecombot',
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        log: (obj) => scrubValue(obj, secrets, 0) as Record<string, unknown>,
      },
      serializers: {
        err: (err: unknown) => {
          const s = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
          return scrubValue(s, secrets, 0);
        },
      },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => (typeof a === 'string' ? scrubSecrets(a, secrets) : a));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? destination({ dest: 1, sync: true }),
  );
}
