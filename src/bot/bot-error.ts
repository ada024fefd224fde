import { WecombotError } from '../errors.js';
import type { Context } from './context.js';

/** An error thrown by a handler, with the context it happened in. */
export class BotError extends WecombotError {
  readonly ctx: Context;
  readonly error: unknown;
  constructor(error: unknown, ctx: Context) {
    const message = error instanceof Error ? error.message : String(error);
    super(
      error instanceof WecombotError ? error.code : 'bot_handler_failed',
      `handler failed on ${ctx.message.robot} ${ctx.message.type} ${ctx.message.msgId}: ${message}`,
      { cause: error, hint: error instanceof WecombotError ? error.hint : 'see the cause; WeCom still got its 200' },
    );
    this.ctx = ctx;
    this.error = error;
  }
}

/** Receives every handler error (after any inner errorBoundary). */
export type ErrorHandler = (err: BotError) => unknown;
