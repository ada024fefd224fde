/**
 * WelcomeCodes at hand, for the `private` privacy fallback: a customer:add this bot did not
 * answer (the `customer-add` trigger is off, or the customer was greeted already) leaves its
 * code here for the rest of its 20 seconds, so that a group welcome that cannot be private in
 * the group can go to that customer through send_welcome_msg instead.
 *
 * The code is a one-shot credential for one customer and lives at most 20 s here; taking it
 * is a delete, which exactly one caller wins across instances (the code works once anyway).
 */
import type { ModuleKv } from '../../bot/module.js';

/** WeCom's window for a WelcomeCode ([OFFICIAL] 92599); the stash stops a second earlier. */
export const WELCOME_CODE_WINDOW_MS = 20_000;
const MARGIN_MS = 1_000;

interface Stashed {
  code: string;
  receivedAt: number;
}

const key = (externalUserId: string) => `welcome-code:${externalUserId}`;

/** Keeps `code` of `externalUserId` for the rest of its window. */
export async function stashWelcomeCode(kv: ModuleKv, externalUserId: string, code: string, receivedAt: number, now: number): Promise<void> {
  const ttlMs = WELCOME_CODE_WINDOW_MS - MARGIN_MS - (now - receivedAt);
  if (ttlMs <= 0) return;
  await kv.set(key(externalUserId), JSON.stringify({ code, receivedAt } satisfies Stashed), { ttlMs });
}

/** The code of `externalUserId`, taken (nobody else gets it), when one is still valid. */
export async function takeWelcomeCode(kv: ModuleKv, externalUserId: string, now: number): Promise<Stashed | undefined> {
  const raw = await kv.get(key(externalUserId));
  if (!raw || !(await kv.delete(key(externalUserId)))) return undefined;
  const stashed = JSON.parse(raw) as Stashed;
  return now - stashed.receivedAt < WELCOME_CODE_WINDOW_MS - MARGIN_MS ? stashed : undefined;
}
