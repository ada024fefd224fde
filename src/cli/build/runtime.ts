/**
 * The Node runtime a bundle is built for (`wecombot build --runtime`), and the ones it refuses.
 *
 * Bundles need Node >= 18: the webhook and corp clients use the global `fetch` (Node 18+, no
 * flag), `AbortSignal.timeout` and `node:buffer`'s File. SCF's Node 16 runtime (Nodejs16.13) has
 * no global fetch, and the store drivers' current versions no longer test on it, so a bundle
 * for it would load and then fail on its first late reply: the build refuses it instead.
 */
import { BotConfigError } from '../../bot/errors.js';
import { WecombotError } from '../../errors.js';

export type RuntimeTarget = 'scf' | 'lambda';

export interface RuntimeChoice {
  /** The platform's name, as written into serverless.yml (SCF) or passed to `aws lambda` (Lambda). */
  name: string;
  /** Node major version: the bundle's esbuild target and scf_bootstrap's `/var/lang/node<major>`. */
  major: number;
}

/** The oldest Node the bundles serve. */
export const MIN_NODE_MAJOR = 18;

/** Defaults: the newest runtime each platform documents for event functions with Function URLs. */
export const DEFAULT_RUNTIME: Record<RuntimeTarget, string> = { scf: 'Nodejs18.15', lambda: 'nodejs20.x' };

/** Runtimes named in the error message: what each platform offers that the bundles serve. */
const SUPPORTED_EXAMPLES: Record<RuntimeTarget, string> = {
  scf: 'Nodejs18.15 (default)',
  lambda: 'nodejs18.x, nodejs20.x (default), nodejs22.x',
};

const PATTERN: Record<RuntimeTarget, RegExp> = {
  // SCF spells runtimes `Nodejs<major>.<minor>` (Nodejs16.13, Nodejs18.15).
  scf: /^Nodejs(\d+)(?:\.\d+)?$/,
  // Lambda: `nodejs<major>.x`.
  lambda: /^nodejs(\d+)\.x$/,
};

/**
 * A refusal of `source`: a flag (`--runtime`) is a usage error (cli_usage, exit 2), the config's
 * `build.runtime` a config error (exit 1).
 */
function refusal(source: string, message: string, hint: string): WecombotError {
  return source.startsWith('-') ? new WecombotError('cli_usage', message, { hint }) : new BotConfigError(message, { hint });
}

/**
 * Resolves `requested` (flag or config) for `target`; the default when none is given.
 * @throws WecombotError naming the runtime, why it cannot be served, and what to use instead:
 *   cli_usage for the `--runtime` flag, BotConfigError for the config's `build.runtime`
 */
export function resolveRuntime(target: RuntimeTarget, requested: string | undefined, source = '--runtime'): RuntimeChoice {
  const name = requested ?? DEFAULT_RUNTIME[target];
  const m = PATTERN[target].exec(name);
  if (!m) {
    const other: RuntimeTarget = target === 'scf' ? 'lambda' : 'scf';
    const hint = PATTERN[other].test(name)
      ? `${name} is a${other === 'scf' ? 'n SCF' : ' Lambda'} runtime name; for --target ${target} use ${SUPPORTED_EXAMPLES[target]}`
      : `use ${SUPPORTED_EXAMPLES[target]}`;
    throw refusal(source, `${source} ${name}: not a ${target === 'scf' ? 'Tencent SCF' : 'AWS Lambda'} Node.js runtime`, hint);
  }
  const major = Number(m[1]);
  if (major < MIN_NODE_MAJOR) {
    throw refusal(
      source,
      `${source} ${name}: Node ${major} cannot run the bundle (it needs Node >= ${MIN_NODE_MAJOR}: global fetch, AbortSignal.timeout)`,
      `use ${SUPPORTED_EXAMPLES[target]}`,
    );
  }
  return { name, major };
}
