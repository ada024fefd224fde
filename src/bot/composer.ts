/**
 * A composable middleware tree in the style of grammY's Composer: `use / on / hears / command /
 * filter / branch / errorBoundary`. A matching handler that does not call `next()` ends the
 * chain, so the first match wins and a group never gets two answers to one message.
 */
import { matchAction, type ActionContext, type ActionTarget, type ActionTrigger } from './action.js';
import { matchFilters, type FilterContext, type FilterQuery } from './filters.js';
import { matchCommand, matchHears, type CommandContext, type HearsContext, type HearsTrigger } from './triggers.js';

/** Calls the rest of the chain. Resolves when everything downstream finished. */
export type NextFunction = () => Promise<void>;
/** One step of the chain. Return (or await) without calling `next` to stop the chain. */
export type MiddlewareFn<C> = (ctx: C, next: NextFunction) => unknown;
/** Anything that can produce a middleware function (a Composer, a Bot). */
export interface MiddlewareObj<C> {
  middleware(): MiddlewareFn<C>;
}
export type Middleware<C> = MiddlewareFn<C> | MiddlewareObj<C>;
/** A predicate for `filter`/`branch`; may be async. */
export type Predicate<C> = (ctx: C) => boolean | Promise<boolean>;

/** An error thrown inside an error boundary, with the context it happened in. */
export interface BoundaryError<C> {
  error: unknown;
  ctx: C;
}

/** Turns a Middleware into a function. */
export function flatten<C>(mw: Middleware<C>): MiddlewareFn<C> {
  return typeof mw === 'function' ? mw : (ctx, next) => mw.middleware()(ctx, next);
}

/**
 * Runs `stack[i]`, whose `next` runs `stack[i + 1]` and so on; the last one's `next` is `next`.
 *
 * Every message walks this chain, so it is written to allocate as little as a chain can: one
 * `next` closure per step and no async wrapper per layer (a tree of `async` wrappers, the first
 * version, cost several promises and frames per middleware on every callback). A step's `next`
 * still always returns a promise, rejects instead of throwing, and refuses a second call: running
 * the rest twice would send two answers.
 */
function runFrom<C>(stack: readonly MiddlewareFn<C>[], i: number, ctx: C, next: NextFunction): unknown {
  const step = stack[i];
  if (step === undefined) return next();
  let called = false;
  return step(ctx, () => {
    if (called) return Promise.reject(new Error('next() called multiple times in one middleware'));
    called = true;
    return settle(() => runFrom(stack, i + 1, ctx, next));
  });
}

/** `run()` as a promise: a value is wrapped, a synchronous throw becomes a rejection. */
function settle(run: () => unknown): Promise<void> {
  try {
    return Promise.resolve(run()) as Promise<void>;
  } catch (err) {
    return Promise.reject(err);
  }
}

/** One middleware that runs `stack` in order (read when it runs, so later additions count). */
export function sequence<C>(stack: readonly MiddlewareFn<C>[]): MiddlewareFn<C> {
  return (ctx, next) => settle(() => runFrom(stack, 0, ctx, next));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Passes straight through. */
export function pass<C>(_ctx: C, next: NextFunction): Promise<void> {
  return next();
}

/**
 * The middleware tree. A `Bot` is a Composer; `composer.on('text', ...)` etc. return the
 * sub-composer so chains can be built: `bot.on('text').filter(isAdmin, handler)`.
 */
export class Composer<C> implements MiddlewareObj<C> {
  /** The chain, flat: `use` appends to it, so a sub-composer extended later is seen. */
  readonly #stack: MiddlewareFn<C>[];
  readonly #run: MiddlewareFn<C>;

  constructor(...middleware: Middleware<C>[]) {
    this.#stack = middleware.map(flatten);
    this.#run = sequence(this.#stack);
  }

  middleware(): MiddlewareFn<C> {
    return this.#run;
  }

  /** Appends middleware that sees every update; returns a sub-composer to chain on. */
  use(...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Composer(...middleware);
    // Its own chain directly (not through middleware(), which a subclass may override).
    this.#stack.push(composer.#run);
    return composer;
  }

  /**
   * Handles messages matching one of the filters from the filter table; `ctx.message` narrows.
   *
   * @example bot.on('event:add_to_chat', (ctx) => ctx.reply('大家好'))
   */
  on<Q extends FilterQuery>(filter: Q | readonly Q[], ...middleware: Middleware<FilterContext<C, Q>>[]): Composer<FilterContext<C, Q>> {
    const queries: readonly FilterQuery[] = typeof filter === 'string' ? [filter] : filter;
    return this.filter((ctx): ctx is FilterContext<C, Q> => matchFilters(ctx, queries), ...middleware);
  }

  /**
   * Handles text (after the leading @bot mention) equal to a string, or matching a RegExp;
   * `ctx.match` holds the match.
   *
   * @example bot.hears(/^天气\s*(\S+)/, (ctx) => ctx.reply(`查询 ${ctx.match[1]}`))
   */
  hears(trigger: HearsTrigger, ...middleware: Middleware<HearsContext<C>>[]): Composer<HearsContext<C>> {
    return this.filter((ctx): ctx is HearsContext<C> => matchHears(ctx, trigger), ...middleware);
  }

  /**
   * Handles a command: the first word of the text (after @bot), with or without a leading `/`.
   * `ctx.match` is the rest of the text, trimmed.
   *
   * @example bot.command('报名', (ctx) => ctx.reply(`已报名：${ctx.match || ctx.from.name}`))
   */
  command(name: string | readonly string[], ...middleware: Middleware<CommandContext<C>>[]): Composer<CommandContext<C>> {
    const names = typeof name === 'string' ? [name] : name;
    return this.filter((ctx): ctx is CommandContext<C> => matchCommand(ctx, names), ...middleware);
  }

  /**
   * Handles button clicks of both robot kinds (classic markdown buttons, AI bot card events)
   * whose id equals a string or matches a RegExp; `ctx.action` holds the typed click and
   * `ctx.match` what matched. Inside a module, ids are namespaced (see ModuleComposer).
   *
   * @example bot.action(/^vote:(\w+)$/, (ctx) => ctx.reply(`已投 ${ctx.match[1]}`))
   */
  action<T extends ActionTrigger>(trigger: T, ...middleware: Middleware<ActionContext<C, T>>[]): Composer<ActionContext<C, T>> {
    return this.filter((ctx): ctx is ActionContext<C, T> => matchAction(ctx as unknown as ActionTarget, trigger), ...middleware);
  }

  /** Runs the middleware only when the predicate holds; otherwise passes on. */
  filter<D extends C>(predicate: (ctx: C) => ctx is D, ...middleware: Middleware<D>[]): Composer<D>;
  filter(predicate: Predicate<C>, ...middleware: Middleware<C>[]): Composer<C>;
  filter(predicate: Predicate<C>, ...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Composer(...middleware);
    this.branch(predicate, composer, pass);
    return composer;
  }

  /** Like `filter`, inverted. */
  drop(predicate: Predicate<C>, ...middleware: Middleware<C>[]): Composer<C> {
    return this.filter(async (ctx) => !(await predicate(ctx)), ...middleware);
  }

  /** Runs `onTrue` or `onFalse` depending on the predicate. */
  branch(predicate: Predicate<C>, onTrue: Middleware<C>, onFalse: Middleware<C>): Composer<C> {
    const t = flatten(onTrue);
    const f = flatten(onFalse);
    // A synchronous predicate (every built-in filter) costs no promise.
    return this.use((ctx, next) => {
      const holds: unknown = predicate(ctx);
      if (isThenable(holds)) return holds.then((h) => (h ? t : f)(ctx, next));
      return (holds ? t : f)(ctx, next);
    });
  }

  /**
   * Catches errors thrown by the middleware inside it (not by what comes after it). The
   * handler may call `next()` to continue the chain after the boundary.
   */
  errorBoundary(handler: (err: BoundaryError<C>, next: NextFunction) => unknown, ...middleware: Middleware<C>[]): Composer<C> {
    const composer = new Composer(...middleware);
    const inner = flatten(composer);
    this.use(async (ctx, next) => {
      let nextCalled = false;
      const guardedNext = () => {
        nextCalled = true;
        return next();
      };
      try {
        await inner(ctx, guardedNext);
      } catch (error) {
        // An error from downstream of the boundary (after next()) is not ours to swallow.
        if (nextCalled) throw error;
        await handler({ error, ctx }, next);
      }
    });
    return composer;
  }
}
