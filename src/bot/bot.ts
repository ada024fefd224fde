/**
 * `createBot`: the runtime-neutral core. `bot.handle(request)` verifies, decrypts, parses,
 * de-duplicates, dispatches and encrypts, once, for every runtime; adapters only translate.
 */
import type { Logger } from 'pino';
import { WecomCrypto } from '../protocol/crypto/wecom-crypto.js';
import { WecombotError } from '../errors.js';
import type { Store } from '../store/store.js';
import { BotError, type ErrorHandler } from './bot-error.js';
import { readQuery, openCallback, robotNotConfigured, verifyUrl, type Robot, type RobotKind } from './callback.js';
import { Composer, flatten, sequence, type MiddlewareFn } from './composer.js';
import { Context } from './context.js';
import { answerCorp } from './corp/dispatch.js';
import { openCorpServices, type CorpServices } from './corp/services.js';
import { answerStreamRefresh, dispatch, isRouted, type DispatchServices } from './dispatch.js';
import { handedOff } from './handoff.js';
import { CallbackDedupe } from './dedupe.js';
import { dispatchDirect, type DirectChannel, type DirectMessage, type DirectOutcome } from './direct.js';
import type { AibotCallback } from '../protocol/callback/types.js';
import { BotConfigError, BotRequestError } from './errors.js';
import { flatJsonAck, flatJsonDisabledError, isFlatJsonBody, openFlatJson } from './flat-json.js';
import { createLogger } from './logger.js';
import type { EmulatorCommand } from './emulator.js';
import { installModule } from './install.js';
import type { BotModule } from './module.js';
import { ModuleClaims } from './module-claims.js';
import { pushToWebhook } from './push.js';
import { serveModuleRoute } from './routes/serve.js';
import { addCoreRoutes } from './routes/core-routes.js';
import { RouteTable } from './routes/table.js';
import { methodNotAllowed, refusal } from './refusal.js';
import type { RouteContext, RouteDefinition } from './routes/types.js';
import { resolveOptions, type BotOptions, type ResolvedOptions } from './options.js';
import { NO_PENDING, respond, type BotRequest, type BotResponse } from './request.js';
import { createDefaultTransport, type LazyTransport } from './default-transport.js';
import { JobRegistry, type JobDefinition, type JobHandler, type JobRunResult } from './jobs.js';

/**
 * A bot. `C` is the context type its handlers see: `Context`, or `Context` plus properties
 * your middleware adds (`createBot<MyContext>()`).
 */
export class Bot<C extends Context = Context> extends Composer<C> {
  readonly options: ResolvedOptions;
  readonly log: Logger;
  #robots = new Map<RobotKind, Robot>();
  #store: Promise<Store>;
  #ownsStore: boolean;
  #transport: LazyTransport;
  #errorHandler: ErrorHandler;
  #pending = new Set<Promise<void>>();
  #jobs: JobRegistry;
  #modules: string[] = [];
  #services: DispatchServices | undefined;
  #claims = new ModuleClaims();
  /** Middleware of catch-all modules: after everything else, whatever the install order. */
  #fallback: { priority: number; middleware: MiddlewareFn<Context>; module: string }[] = [];
  #emulator: EmulatorCommand[] = [];
  #routes = new RouteTable();
  #closing: Promise<void> | undefined;
  #corp: Promise<CorpServices> | undefined;
  #dedupe: CallbackDedupe;
  #candidateLists = new Map<readonly RobotKind[], Robot[]>();

  constructor(options: BotOptions = {}) {
    super();
    this.options = resolveOptions(options);
    const o = this.options;
    const secrets = [
      o.group?.token,
      o.group?.encodingAesKey,
      o.aibot?.token,
      o.aibot?.encodingAesKey,
      o.corp?.token,
      o.corp?.encodingAesKey,
      o.corp?.secret,
    ].filter((s): s is string => typeof s === 'string');
    this.log = options.logger ?? createLogger({ level: options.logLevel, secrets });
    const now = () => o.clock.now();
    for (const kind of ['group', 'aibot', 'corp'] as const) {
      const s = o[kind];
      if (!s) continue;
      try {
        // A corp app's callbacks carry its corpid as the receiveid; a robot's an empty one.
        const receiveId = kind === 'corp' ? o.corp?.corpId : undefined;
        const crypto = new WecomCrypto({
          token: s.token,
          encodingAESKey: s.encodingAesKey,
          receiveId,
          maxSkewSeconds: o.maxSkewSeconds || undefined,
          now,
        });
        this.#robots.set(kind, { kind, crypto });
      } catch (cause) {
        throw new BotConfigError(`${kind === 'corp' ? 'corp app' : `${kind} robot`} secrets are invalid`, {
          cause,
          hint: cause instanceof WecombotError ? cause.hint : undefined,
        });
      }
    }
    this.#ownsStore = options.store === undefined;
    this.#store = options.store ? Promise.resolve(options.store) : openMemoryStore();
    this.#dedupe = new CallbackDedupe({ store: this.#store, log: this.log, ttlMs: o.dedupeTtlMs, leaseMs: o.dedupeLeaseMs });
    this.#transport = options.transport ? wrapTransport(options.transport) : createDefaultTransport(() => this.#store, this.log);
    this.#errorHandler = (err) => {
      this.log.error({ err: err.error, code: err.code, chatId: err.ctx.chatId }, 'handler failed');
    };
    this.#jobs = new JobRegistry(this);
    addCoreRoutes(this.#routes, this.options.paths);
  }

  /** Which robots this bot answers for (a corp app is not a robot: see `options.corp`). */
  get robots(): Exclude<RobotKind, 'corp'>[] {
    return [...this.#robots.keys()].filter((k) => k !== 'corp');
  }

  /** Names of installed modules (ready-made bots). */
  get modules(): readonly string[] {
    return this.#modules;
  }

  /** The transport (webhook client) — created on first use. */
  transport(): import('./transport.js').BotTransport {
    return this.#transport.get();
  }

  /** Waits for queued sends of the transport (without creating it when unused). */
  flush(): Promise<void> {
    return this.#transport.flush();
  }

  /** The store (opened on first use when none was given). */
  store(): Promise<Store> {
    return this.#store;
  }

  /**
   * Sets the handler for errors thrown by middleware. Every adapter goes through `handle`, so
   * every adapter honours it; WeCom still gets its 200.
   *
   * @example bot.catch((err) => err.ctx.log.error({ err: err.error }, 'oops'))
   */
  catch(handler: ErrorHandler): this {
    this.#errorHandler = handler;
    return this;
  }

  /**
   * Installs a module (a ready-made bot or your own): runs its migrations once per store,
   * claims its commands and button namespaces (a clash with an installed module is an error
   * naming both), adds its handlers, jobs, routes and emulator commands. Handlers of a module
   * with `consumes.catchAllText` run after every other handler, whatever the install order.
   */
  async install(module: BotModule): Promise<this> {
    if (this.#services)
      throw new BotConfigError(`module ${module.name} installed after the bot started answering`, {
        hint: 'install modules before the first request',
      });
    const installed = await installModule(
      {
        store: () => this.#store,
        log: this.log,
        webhookUrl: this.options.webhookUrl,
        ephemeralStore: this.options.ephemeralStore,
        claims: this.#claims,
        clock: this.options.clock,
        addJob: (def) => this.#jobs.add(def),
        addRoute: (owner, def) => this.#routes.addModule(owner, def, this.options.maxBodyBytes),
        catchAllFollows: (name) => {
          const at = this.#fallback.findIndex((f) => f.module === name);
          return at >= 0 && at < this.#fallback.length - 1;
        },
      },
      module,
    );
    if (installed.catchAll) {
      const { priority } = installed.catchAll;
      // Stable: after every catch-all of the same or a higher priority.
      const at = this.#fallback.findIndex((f) => f.priority < priority);
      this.#fallback.splice(at < 0 ? this.#fallback.length : at, 0, { priority, middleware: installed.middleware, module: module.name });
    } else this.use(installed.middleware as unknown as MiddlewareFn<C>);
    this.#emulator.push(...installed.emulator);
    this.#modules.push(module.name);
    return this;
  }

  /** The middleware tree: the bot's own chain, then the catch-all modules. */
  override middleware(): MiddlewareFn<C> {
    const own = super.middleware();
    if (this.#fallback.length === 0) return own;
    return sequence([own, ...this.#fallback.map((f) => f.middleware as unknown as MiddlewareFn<C>)]);
  }

  /**
   * Adds an HTTP route to the bot itself (modules declare `routes` instead). The core runs its
   * auth, body limit and rate limit on every runtime.
   *
   * @example bot.route({ method: 'POST', path: '/hooks/form', auth: { type: 'token', token }, handler: (req) => ({ body: { ok: true } }) })
   */
  route(definition: RouteDefinition): this {
    if (this.#services) throw new BotConfigError(`route ${definition.path} added after the bot started answering`);
    this.#routes.addModule('bot', definition, this.options.maxBodyBytes);
    return this;
  }

  /** Every path this bot answers, with its owner (`core`, `bot` or a module). */
  routes(): { owner: string; path: string; methods: string[] }[] {
    return this.#routes.list();
  }

  /** Emulator commands of the installed modules (`wecombot dev`). */
  emulatorCommands(): readonly EmulatorCommand[] {
    return this.#emulator;
  }

  /**
   * Declares a scheduled job. `schedule` is a cron expression (5–7 fields). Timer events
   * (SCF TriggerName, EventBridge rule name) and `wecombot serve` run it via `runJob`.
   */
  job(name: string, schedule: string, handler: JobHandler): this;
  job(definition: JobDefinition): this;
  job(nameOrDef: string | JobDefinition, schedule?: string, handler?: JobHandler): this {
    // e.g. bot.job('daily-report', '0 9 * * MON-FRI', (job) => job.push('早上好'))
    const def = typeof nameOrDef === 'string' ? { name: nameOrDef, schedule: schedule ?? '', handler: handler as JobHandler } : nameOrDef;
    this.#jobs.add(def);
    return this;
  }

  /** Declared jobs. */
  jobs(): readonly JobDefinition[] {
    return this.#jobs.list();
  }

  /**
   * Runs a job by name. With `firedAt` (timer events: SCF `Time`, EventBridge `time`) it runs the
   * fire time `firedAt` belongs to, once across instances sharing a store; without, it runs now
   * (a manual run, no de-duplication).
   */
  runJob(name: string, firedAt?: Date): Promise<JobRunResult> {
    return this.#jobs.run(name, firedAt);
  }

  /** Fires jobs from in-process timers (`wecombot serve`); FaaS uses platform timers instead. */
  startJobs(): Promise<void> {
    return this.#jobs.start();
  }

  /** Next fire time per job. */
  nextRuns(): Promise<Record<string, string | null>> {
    return this.#jobs.nextRuns();
  }

  /**
   * Answers one request. Never throws: bad input becomes a 4xx with a log line, a crash in the
   * core a 500. `response.pending` is the work that continues after the response.
   */
  async handle(req: BotRequest): Promise<BotResponse> {
    try {
      const res = await this.#route(req);
      if (res.pending !== NO_PENDING) this.#track(res.pending);
      return res;
    } catch (err) {
      return refusal(this.log, err, req);
    }
  }

  /**
   * Answers one AI bot message that arrived over a connection instead of an HTTP callback
   * (wecombot/ws): the same de-duplication through the store, router and context; replies go
   * through `channel`. Resolves when the handler and its frames are done ('handled'), or at once
   * for a duplicate or a message the router does not take. Never rejects.
   */
  async handleDirect(message: AibotCallback, channel: DirectChannel): Promise<DirectOutcome> {
    if (!isRouted(message)) return 'ignored';
    const services = this.#services ?? (await this.#dispatchServices());
    // Claimed while handled, completed when the handler and its frames are done (dedupe.ts).
    const first = await this.#dedupe.run('aibot', message.chatId, message.msgId, () => {
      const work = dispatchDirect(message as DirectMessage, channel, services).catch((err: unknown) =>
        this.log.error({ err, msgId: message.msgId }, 'long-connection dispatch failed'),
      );
      this.#track(work);
      return work;
    });
    return first ? 'handled' : 'duplicate';
  }

  /** Resolves when every piece of late work (late replies, pushes) has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /**
   * Waits for late work, then closes the transport and the store (if the bot opened it).
   * Calling it again (a server's close and a test's cleanup) waits for the same close.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#jobs.stop();
      await this.idle();
      await this.#transport.close();
      await (await this.#corp)?.access.close();
      if (this.#ownsStore) await (await this.#store).close();
    })();
    return this.#closing;
  }

  #track(p: Promise<void>): void {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async #route(req: BotRequest): Promise<BotResponse> {
    const method = req.method.toUpperCase();
    const path = this.#stripBase(req.path);
    const match = this.#routes.match(method, path);
    if (!match.found) {
      if (match.allowed.length > 0) return methodNotAllowed(this.log, req, match.allowed);
      throw new BotRequestError('bot_not_found', `nothing at ${path}`, {
        hint: `callbacks go to ${this.options.paths.callback} or ${this.options.paths.aibot}`,
      });
    }
    const { target } = match;
    if (target.kind === 'health') return respond(200, 'ok');
    if (target.kind === 'module') {
      const store = await this.#store;
      return serveModuleRoute(match.owner, match.pattern, target, match.params, req, {
        store,
        log: this.log,
        now: () => this.options.clock.now(),
        context: (owner) => this.#routeContext(owner, store),
      });
    }
    if (method === 'POST' && target.robots.includes('group') && isFlatJsonBody(req.body)) return this.#flatJson(req);
    const candidates = this.#candidates(target.robots);
    const query = readQuery(req);
    if (method === 'GET') return respond(200, verifyUrl(candidates, query));

    const opened = openCallback(candidates, query, req.body, this.options.maxBodyBytes);
    const message = opened.message;
    const services = this.#services ?? (await this.#dispatchServices());
    if (message.robot === 'corp') {
      const identities = (await this.#corp)?.identities;
      // Claimed while handled, completed when its late work ends (dedupe.ts).
      return this.#dedupe.guard(async (claim) =>
        answerCorp(message, {
          log: this.log,
          services,
          identities,
          firstDelivery: async (id) => (await claim('corp', undefined, id)).first,
        }),
      );
    }
    if (message.type === 'unknown') {
      // Acknowledged so WeCom does not retry something we will never understand.
      this.log.warn(
        { robot: message.robot, rawType: message.rawType, rawEventType: message.rawEventType, msgId: message.msgId },
        'unknown callback type acknowledged',
      );
      return respond(200, '');
    }
    if (message.type === 'stream') return answerStreamRefresh(opened, message.streamId, services);
    if (!isRouted(message)) return respond(200, '');

    // FaaS: the handling may move to an asynchronous invocation, claimed there (handoff.ts).
    const handOff = handedOff(message);
    if (handOff !== false && (await handOff)) return respond(200, '');
    return this.#dedupe.guard(async (claim) => {
      const { first, state } = await claim(message.robot, message.chatId, message.msgId);
      if (first) return dispatch(opened, message, services);
      this.log.info({ robot: message.robot, msgId: message.msgId, state }, duplicateLine(state));
      return respond(200, '');
    });
  }

  /**
   * A gateway's flat JSON callback (opt-in, authenticated by the shared secret): the same
   * de-duplication and dispatch as an encrypted one, answered in the clear.
   */
  async #flatJson(req: BotRequest): Promise<BotResponse> {
    const options = this.options.flatJson;
    if (!options) throw flatJsonDisabledError();
    const message = openFlatJson(req, options, this.options.clock.now());
    const services = await this.#dispatchServices();
    if (message.type === 'unknown') {
      this.log.warn(
        { robot: 'group', dialect: 'flat-json', rawType: message.rawType, msgId: message.msgId },
        'unknown callback type acknowledged',
      );
      return flatJsonAck();
    }
    if (!isRouted(message)) return flatJsonAck();
    const handOff = handedOff(message);
    if (handOff !== false && (await handOff)) return flatJsonAck();
    return this.#dedupe.guard(async (claim) => {
      const { first, state } = await claim('group', message.chatId, message.msgId);
      if (first) return dispatch({ flat: options }, message, services);
      this.log.info({ robot: 'group', dialect: 'flat-json', msgId: message.msgId, state }, duplicateLine(state));
      return flatJsonAck();
    });
  }

  #stripBase(path: string): string {
    const { base } = this.options.paths;
    if (!base || !path.startsWith(base)) return path;
    const rest = path.slice(base.length);
    return rest === '' ? '/' : rest.startsWith('/') ? rest : path;
  }

  #routeContext(owner: string, store: Store): RouteContext {
    return {
      module: owner,
      store,
      log: this.log.child({ module: owner }),
      push: (content, options = {}) => pushToWebhook(this.#transport.get(), this.options.webhookUrl, content, options, `route of ${owner}`),
      waitUntil: (work) =>
        this.#track(
          work.then(
            () => undefined,
            (err: unknown) => this.log.error({ err, module: owner }, 'route late work failed'),
          ),
        ),
    };
  }

  #candidates(kinds: readonly RobotKind[]): Robot[] {
    // The robots are fixed at construction and a route's kinds never change: one list per route.
    let robots = this.#candidateLists.get(kinds);
    if (robots === undefined) {
      robots = kinds.map((k) => this.#robots.get(k)).filter((r): r is Robot => r !== undefined);
      this.#candidateLists.set(kinds, robots);
    }
    if (robots.length === 0) throw robotNotConfigured(kinds);
    return robots;
  }

  async #dispatchServices(): Promise<DispatchServices> {
    if (this.#services) return this.#services;
    const store = await this.#store;
    const handler = this.middleware();
    const corp = await (this.#corp ??= openCorpServices(this.options.corp, store, this.log, this.options.clock));
    this.#services = {
      store,
      log: this.log,
      debug: this.log.isLevelEnabled('debug'),
      clock: this.options.clock,
      transport: () => this.#transport.get(),
      flush: () => this.#transport.flush(),
      ackBudgetMs: this.options.ackBudgetMs,
      webhookUrl: this.options.webhookUrl,
      botName: this.options.botName,
      corp: () => corp.access.client(),
      run: async (ctx) => {
        try {
          await handler(ctx as C, () => Promise.resolve());
        } catch (error) {
          try {
            await this.#errorHandler(new BotError(error, ctx));
          } catch (again) {
            this.log.error({ err: again }, 'bot.catch handler failed');
          }
        }
      },
    };
    return this.#services;
  }
}

function duplicateLine(state: 'claimed' | 'running' | 'done'): string {
  return state === 'running'
    ? 'duplicate callback acknowledged (still being handled)'
    : 'duplicate callback acknowledged (already handled)';
}

function wrapTransport(t: import('./transport.js').BotTransport): LazyTransport {
  return { get: () => t, flush: async () => t.flush?.(), close: async () => t.close?.() };
}

async function openMemoryStore(): Promise<Store> {
  const { openStore } = await import('../store/open.js');
  return openStore({ databaseUrl: 'memory:' });
}

/**
 * Creates a bot. Secrets usually come from the environment via the config loader; pass them
 * directly in code and tests.
 *
 * @example
 * const bot = createBot({ group: { token, encodingAesKey } });
 * bot.command('ping', (ctx) => ctx.reply('pong'));
 * bot.on('event:add_to_chat', (ctx) => ctx.reply('大家好'));
 *
 * @example
 * // Middleware that adds typed properties (a "flavor"):
 * type MyContext = Context & { tenant: string };
 * const bot = createBot<MyContext>({ group });
 * bot.use((ctx, next) => { ctx.tenant = 'acme'; return next(); });
 */
export function createBot<C extends Context = Context>(options: BotOptions = {}): Bot<C> {
  return new Bot<C>(options);
}

export { BotError, flatten, type ErrorHandler };
