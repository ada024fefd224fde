/**
 * Validation of a loaded config file (zod). Errors name the field and the file. Only the CLI
 * (`serve`, `build`) loads this; FaaS bundles get a config validated at build time.
 */
import { z } from 'zod';
import { BotConfigError } from '../bot/errors.js';
import { isBotModule, type BotModule } from '../bot/module.js';
import type { WecombotConfig } from './define.js';
import { didYouMeanSuffix } from './did-you-mean.js';

const path = z.string().startsWith('/', { message: "must start with '/'" });
const module = z.custom<BotModule>((v) => isBotModule(v), {
  message: 'must be a bot module (created with defineBotModule, e.g. welcome({...}))',
});

export const configSchema = z
  .object({
    bots: z.array(module).optional(),
    setup: z
      .custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function (bot) => void' })
      .optional(),
    ackBudgetMs: z.number().int().min(1).max(4999, { message: 'must be below 5000 (WeCom drops the callback after 5 s)' }).optional(),
    maxBodyBytes: z.number().int().min(1024).optional(),
    maxSkewSeconds: z.number().int().min(0).optional(),
    dedupeTtlMs: z.number().int().min(1000).optional(),
    botName: z.string().min(1).optional(),
    paths: z
      .object({
        callback: path.optional(),
        aibot: path.optional(),
        corp: path.optional(),
        health: path.optional(),
        base: z.string().optional(),
      })
      .strict()
      .optional(),
    corp: z.object({ identity: z.boolean().optional() }).strict().optional(),
    // Checked field by field when the bot is created (resolveFlatJsonOptions names the field).
    flatJson: z.object({}).passthrough().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    server: z
      .object({ port: z.number().int().min(0).max(65535).optional(), host: z.string().min(1).optional() })
      .strict()
      .optional(),
    build: z
      .object({
        name: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_-]{1,59}$/, { message: 'letters, digits, _ and -, 2 to 60, starting with a letter' })
          .optional(),
        region: z.string().min(1).optional(),
        runtime: z
          .string()
          .regex(/^Nodejs\d+(\.\d+)?$/, { message: 'an SCF runtime such as Nodejs18.15' })
          .optional(),
        memorySize: z.number().int().min(64).max(3072).optional(),
        role: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, { message: 'a CAM role name (letters, digits and +=,.@_-, up to 64)' })
          .optional(),
        timeout: z.number().int().min(1).max(900).optional(),
        external: z.array(z.string().min(1)).optional(),
        environment: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Validates a config; throws BotConfigError naming every bad field. */
export function validateConfig(input: unknown, source = 'config'): WecombotConfig {
  const result = configSchema.safeParse(input ?? {});
  if (result.success) return input as WecombotConfig;
  const problems = result.error.issues.map((i) => {
    const where = i.path.length ? i.path.join('.') : '(root)';
    const message = i.code === 'unrecognized_keys' ? unknownFields(i.keys, i.path) : i.message;
    return `${where}: ${message}`;
  });
  throw new BotConfigError(`${source}: ${problems.join('; ')}`, {
    hint: 'see docs/en/bots.md for the config fields',
  });
}

/** `unknown field "ackBudgetMS" (did you mean "ackBudgetMs"?)`, from the fields of the object at `at`. */
function unknownFields(keys: readonly string[], at: readonly PropertyKey[]): string {
  const known = Object.keys(shapeAt(at) ?? {});
  const each = keys.map((k) => `"${k}"${didYouMeanSuffix(k, known)}`);
  return `unknown field(s) ${each.join(', ')}${known.length ? `; the fields here are ${known.join(', ')}` : ''}`;
}

/** The shape of the (strict) object schema at a path of the config, through optional wrappers. */
function shapeAt(at: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let node: unknown = configSchema;
  for (const key of [undefined, ...at]) {
    while (node instanceof z.ZodOptional) node = node.unwrap();
    if (!(node instanceof z.ZodObject)) return undefined;
    if (key === undefined) continue;
    node = (node.shape as Record<string, unknown>)[String(key)];
  }
  while (node instanceof z.ZodOptional) node = node.unwrap();
  return node instanceof z.ZodObject ? (node.shape as Record<string, unknown>) : undefined;
}
