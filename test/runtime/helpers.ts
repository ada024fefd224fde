import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import type { BotRequest } from '../../src/bot/request.js';

/** A fixture event from test/runtime/fixtures, deep-copied. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Decoded query values of a signed request, as SCF hands them over. */
export function decodedQuery(req: BotRequest): Record<string, string> {
  return { ...req.query };
}

export function bodyBase64(req: BotRequest): string {
  return Buffer.from(req.body).toString('base64');
}

export function bodyText(req: BotRequest): string {
  return Buffer.from(req.body).toString('utf8');
}

/** Runs a built bundle in a fresh process: calls its handler with `event`, resolves to the result. */
export async function invokeBundle(
  bundle: string,
  exportName: string,
  event: unknown,
  env: Record<string, string>,
  cwd?: string,
): Promise<Record<string, unknown>> {
  const harness = `require(${JSON.stringify(bundle)}).${exportName}(JSON.parse(process.env.EVENT)).then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', harness], {
    cwd,
    env: { PATH: process.env.PATH, WECOMBOT_LOG_LEVEL: 'silent', ...env, EVENT: JSON.stringify(event) },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}
