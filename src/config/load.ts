/**
 * Finds and loads `wecombot.config.(ts|mts|js|mjs|json)`. TypeScript configs are imported
 * natively when the runtime can (tsx, newer Node), otherwise compiled with esbuild next to the
 * config so its imports resolve from the project.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BotConfigError } from '../bot/errors.js';
import { WecombotError } from '../errors.js';
import type { WecombotConfig } from './define.js';
import { validateConfig } from './schema.js';

export const CONFIG_FILES = [
  'wecombot.config.ts',
  'wecombot.config.mts',
  'wecombot.config.js',
  'wecombot.config.mjs',
  'wecombot.config.json',
];

export interface LoadedConfig {
  config: WecombotConfig;
  /** Absolute path of the file, or undefined when none was found (all defaults). */
  path: string | undefined;
}

/** The config file in `cwd`, if any. */
export function findConfig(cwd = process.cwd()): string | undefined {
  for (const name of CONFIG_FILES) {
    const p = join(cwd, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

async function importTs(path: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(path).href);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING') throw err;
  }
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (cause) {
    throw new BotConfigError(`cannot load ${path}: TypeScript configs need esbuild (or run under tsx)`, {
      hint: 'npm install --save-dev esbuild, or write wecombot.config.js',
      cause,
    });
  }
  // Compiled next to the config so that its bare imports resolve from the project's node_modules.
  const out = join(dirname(path), '.wecombot', `config.${process.pid}.${Date.now()}.mjs`);
  await mkdir(dirname(out), { recursive: true });
  try {
    await esbuild.build({
      entryPoints: [path],
      outfile: out,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
    return await import(pathToFileURL(out).href);
  } finally {
    await rm(out, { force: true });
  }
}

/**
 * Loads and validates the config. `explicit` is a path given by the user (it must exist; `-`
 * is refused as a usage error, cli_usage).
 *
 * @throws BotConfigError naming the file and every bad field.
 */
export async function loadConfig(options: { cwd?: string; path?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  if (options.path === '-') {
    // A config is a module that is imported (its own imports resolve from its folder, a build
    // bundles it by path): there is nothing to import from stdin.
    throw new WecombotError('cli_usage', '-c/--config - cannot read stdin: a config is a module file that is imported', {
      hint: 'give the path of wecombot.config.(ts|js|json), or leave -c out to use the one in the current directory',
    });
  }
  const path = options.path ? resolve(cwd, options.path) : findConfig(cwd);
  if (options.path && !existsSync(path as string)) throw new BotConfigError(`config file ${options.path} does not exist`);
  if (!path) return { config: {}, path: undefined };
  let raw: unknown;
  try {
    if (path.endsWith('.json')) {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } else {
      const mod = (path.endsWith('.ts') || path.endsWith('.mts') ? await importTs(path) : await import(pathToFileURL(path).href)) as {
        default?: unknown;
      };
      if (mod.default === undefined) {
        throw new BotConfigError(`${path} has no default export`, { hint: 'write export default defineConfig({ ... })' });
      }
      raw = mod.default;
      // `export default defineConfig(...)` in a CommonJS-compiled file arrives wrapped once more.
      if (raw && typeof raw === 'object' && 'default' in raw && Object.keys(raw).length === 1) raw = (raw as { default: unknown }).default;
    }
  } catch (cause) {
    if (cause instanceof BotConfigError) throw cause;
    throw new BotConfigError(`cannot load ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return { config: validateConfig(raw, path), path };
}
