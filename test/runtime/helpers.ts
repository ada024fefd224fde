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
