/**
 * What the chat handlers share: the desk, the options, the module's services, and the one way
 * a ledger failure is answered (fail closed: nothing happened, and the member is told).
 */
import type { Logger } from 'pino';
import type { Context } from '../../../bot/context.js';
import type { ModuleEvents } from '../../../bot/events.js';
import type { ModuleKv } from '../../../bot/module.js';
import { WecombotError } from '../../../errors.js';
import type { Store } from '../../../store/store.js';
import type { SignupConfig } from '../config.js';
import type { SignupDesk } from '../desk.js';
import { say } from '../messages.js';
import { answer } from './reply.js';

export interface SignupDeps {
  desk: SignupDesk;
  config: SignupConfig;
  store: Store;
  kv: ModuleKv;
  log: Logger;
  /** Domain events: `signup.joined` after each sign-up (the tags bot's behaviour rules hear it). */
  events?: ModuleEvents;
  /** The full id of one of the module's buttons: `button('join:A1')` → `signup:join:A1`. */
  button(id: string): string;
}

/** The ledger could not be reached or failed mid-way; its transaction rolled back. */
export class SignupUnavailableError extends WecombotError {
  constructor(operation: string, cause: unknown) {
    super('signup_unavailable', `signup: ${operation} failed in the store; nothing was recorded`, {
      cause,
      hint: 'check WECOMBOT_DATABASE_URL and that the database is up; members were asked to try again',
    });
  }
}

/**
 * Runs a ledger operation; when the store fails, logs it (with no personal data), tells the
 * member that nothing was recorded, and resolves `undefined`.
 */
export async function ledgerCall<T>(
  ctx: Context,
  deps: SignupDeps,
  operation: string,
  work: () => Promise<T>,
): Promise<{ value: T } | undefined> {
  try {
    return { value: await work() };
  } catch (cause) {
    await failClosed(ctx, deps, operation, cause);
    return undefined;
  }
}

/** Logs a ledger failure (no personal data) and tells the member that nothing was recorded. */
export async function failClosed(ctx: Context, deps: SignupDeps, operation: string, cause: unknown): Promise<void> {
  const error = new SignupUnavailableError(operation, cause);
  deps.log.error({ err: error, code: error.code, operation }, 'signup failed closed');
  await answer(ctx, say.unavailable()).catch(() => undefined);
}

/** True when the sender is on the staff list. */
export function isStaff(deps: SignupDeps, ctx: Context): boolean {
  return deps.config.staff.includes(ctx.from.userId);
}

/** The webhook the callback came with (classic robot), for announcements into its chat later. */
export function callbackWebhook(ctx: Context): string | undefined {
  if (ctx.robot !== 'group') return undefined;
  const url = (ctx.message as { webhookUrl?: unknown }).webhookUrl;
  return typeof url === 'string' && url ? url : undefined;
}
