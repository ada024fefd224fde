/**
 * Structured JSON logs (pino) with secrets redacted: known secret fields are censored by path,
 * and every string argument is scrubbed of URL secrets and of the configured token/key values.
 *
 * pino is created on the first log line that passes the level, not before: a FaaS cold start
 * whose callback logs nothing never pays for loading it (about 20 ms of a cold start).
 */
import { createRequire } from 'node:module';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';
import { redactSecrets } from '../redact.js';

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

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, secrets, depth + 1);
  return out;
}

type PinoModule = typeof import('pino');

/**
 * Loads pino synchronously. A direct `require` call lets bundlers (esbuild) inline pino and
 * initialise it only here; plain ESM has no `require`, so it goes through createRequire.
 */
function loadPino(): PinoModule {
  if (typeof require === 'function') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: see above
      return require('pino') as PinoModule;
    } catch {
      // An ESM bundle's `require` shim that cannot load packages: resolve from this file instead.
    }
  }
  return createRequire(import.meta.url)('pino') as PinoModule;
}

/**
 * Used when pino cannot be loaded (a bundle without it): JSON lines on stderr, so a logging
 * problem never takes the bot down.
 */
function fallbackLogger(level: number, bindings: Record<string, unknown>, secrets: readonly string[]): Logger {
  return new Proxy({} as Logger, {
    get(_t, prop) {
      if (typeof prop === 'string' && prop in LEVELS && prop !== 'silent') {
        if ((LEVELS[prop] as number) < level) return noop;
        return (obj: unknown, msg?: string) => {
          const fields = typeof obj === 'object' && obj !== null ? obj : { msg: obj };
          const line = {
            level: LEVELS[prop],
            time: Date.now(),
            name: 'wecombot',
            ...bindings,
            ...(fields as object),
            ...(msg ? { msg } : {}),
          };
          process.stderr.write(
            `${redactSecrets(
              JSON.stringify(line, (_k, v: unknown) => (v instanceof Error ? { type: v.name, message: v.message } : v)),
              secrets,
            )}\n`,
          );
        };
      }
      if (prop === 'child') return (b: Record<string, unknown>) => fallbackLogger(level, { ...bindings, ...b }, secrets);
      if (prop === 'isLevelEnabled') return (l: string) => (LEVELS[l] ?? Infinity) >= level;
      if (prop === 'bindings') return () => bindings;
      if (prop === 'level') return Object.keys(LEVELS).find((k) => LEVELS[k] === level) ?? 'info';
      return undefined;
    },
  });
}

function makePino(level: LevelWithSilent, secrets: readonly string[], destination: DestinationStream | undefined): Logger {
  const { pino, stdSerializers, destination: dest } = loadPino();
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
        err: (err: unknown) => scrubValue(stdSerializers.err(err as Error), secrets, 0),
      },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => (typeof a === 'string' ? redactSecrets(a, secrets) : a));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    destination ?? dest({ dest: 1, sync: true }),
  );
}

const noop = () => undefined;

/** A Logger that creates the real one on first use; disabled levels never create it. */
function lazy(make: () => Logger, levelRef: { value: number }): Logger {
  let real: Logger | undefined;
  const get = () => (real ??= make());
  return new Proxy({} as Logger, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // never a thenable
      if (typeof prop === 'string' && prop in LEVELS && prop !== 'silent') {
        if ((LEVELS[prop] as number) < levelRef.value) return noop;
        return (...args: unknown[]) => (get()[prop as 'info'] as (...a: unknown[]) => void)(...args);
      }
      if (prop === 'child') {
        return (bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]) =>
          lazy(() => get().child(bindings, options) as unknown as Logger, levelRef);
      }
      if (prop === 'isLevelEnabled') return (l: string) => (LEVELS[l] ?? Infinity) >= levelRef.value;
      const value = get()[prop as keyof Logger] as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(get()) : value;
    },
    set(_t, prop, value) {
      if (prop === 'level' && typeof value === 'string') levelRef.value = LEVELS[value] ?? levelRef.value;
      (get() as unknown as Record<string | symbol, unknown>)[prop] = value;
      return true;
    },
  });
}

/**
 * Creates the bot's logger.
 *
 * @example const log = createLogger({ level: 'debug', secrets: [token] });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const level = options.level ?? (process.env.WECOMBOT_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  const levelRef = { value: LEVELS[level] ?? (LEVELS.info as number) };
  return lazy(() => {
    try {
      return makePino(level, secrets, options.destination);
    } catch (err) {
      const fallback = fallbackLogger(levelRef.value, {}, secrets);
      fallback.error({ err }, 'pino could not be loaded; logging JSON to stderr');
      return fallback;
    }
  }, levelRef);
}
