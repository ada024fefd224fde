/**
 * Installing a module (contract v2): claims, migrations, services, handlers on the module's
 * own composer wrapped in its sessions, jobs, routes and emulator commands. The core does this
 * once per bot; the module only declares.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { MiddlewareFn } from './composer.js';
import { flatten } from './composer.js';
import type { Context } from './context.js';
import type { EmulatorCommand } from './emulator.js';
import { BotConfigError } from './errors.js';
import { EventBus } from './events.js';
import type { JobDefinition } from './jobs.js';
import { isBotModule, moduleTable, type BotModule, type ModuleKv, type ModuleServices } from './module.js';
import type { ModuleClaims } from './module-claims.js';
import { ModuleComposer } from './module-composer.js';
import type { RouteDefinition } from './routes/types.js';
import { resolveSessionOptions } from './session.js';
import { withSessions, type OwnedSessions } from './session-middleware.js';

/** The part of the bot installing needs (a narrow view, so this file does not import Bot). */
export interface InstallHost {
  store(): Promise<Store>;
  readonly log: Logger;
  readonly webhookUrl: string | undefined;
  /** True when the store lives and dies with this FaaS instance (no shared database). */
  readonly ephemeralStore: boolean;
  readonly claims: ModuleClaims;
  readonly clock: Clock;
  addJob(def: JobDefinition): void;
  addRoute(owner: string, def: RouteDefinition): void;
  /** The bot's domain-event bus; when absent, one bus per `claims` (so per bot) is made here. */
  readonly events?: EventBus;
  /** True when another module's catch-all runs after the named module's (see ModuleServices). */
  catchAllFollows?(module: string): boolean;
}

/** One bus per bot: keyed by the bot's claims registry, which every install of that bot shares. */
const buses = new WeakMap<ModuleClaims, EventBus>();
function busOf(host: InstallHost): EventBus {
  if (host.events) return host.events;
  let bus = buses.get(host.claims);
  if (!bus) {
    bus = new EventBus(host.log, () => host.clock.now());
    buses.set(host.claims, bus);
  }
  return bus;
}

export interface InstalledModule {
  name: string;
  middleware: MiddlewareFn<Context>;
  /** Runs after every specific handler (consumes.catchAllText), higher priority first; or false. */
  catchAll: false | { priority: number };
  emulator: readonly EmulatorCommand[];
}

function namespacedKv(store: Store, module: string): ModuleKv {
  const k = (key: string) => `mod:${module}:${key}`;
  return {
    get: (key) => store.get(k(key)),
    set: (key, value, options) => store.set(k(key), value, options),
    delete: (key) => store.delete(k(key)),
    setIfAbsent: (key, value, options) => store.setIfAbsent(k(key), value, options),
    incr: (key, options) => store.incr(k(key), options),
  };
}

/** Installs one module on the host; returns its middleware for the host to place. */
export async function installModule(host: InstallHost, module: BotModule): Promise<InstalledModule> {
  if (!isBotModule(module)) {
    throw new BotConfigError(
      typeof module === 'function'
        ? 'a module factory was installed, not a module'
        : 'only modules made by defineBotModule can be installed',
      {
        hint:
          typeof module === 'function'
            ? 'call it with its options: bots: [faq({ ... })], not bots: [faq]'
            : 'see docs/en/bots.md, "Modules"',
      },
    );
  }
  const { definition: def, options, name } = module;
  const namespace = host.claims.claim(name, def.consumes);
  const sessions: OwnedSessions = {
    owner: name,
    ...(def.session ? { session: resolveSessionOptions(`${name}.session`, def.session) } : {}),
    ...(def.chatSession ? { chatSession: resolveSessionOptions(`${name}.chatSession`, def.chatSession) } : {}),
  };
  const stateful = Boolean(sessions.session || sessions.chatSession || def.migrations?.length);
  if (stateful && host.ephemeralStore) {
    throw new BotConfigError(`module ${name} keeps state, but this function has no shared store`, {
      hint: 'set WECOMBOT_DATABASE_URL (PostgreSQL) or WECOMBOT_REDIS_URL with WECOMBOT_DATABASE_URL: an instance-local store loses sign-ups and sessions between invocations',
    });
  }
  const store = await host.store();
  if (def.migrations?.length) {
    const table = (t: string) => moduleTable(store.namespace, name, t);
    const sql = { dialect: store.sqlDialect };
    await store.migrate(def.migrations.map((m) => ({ name: `${name}/${m.name}`, up: (db) => m.up(db, table, sql) })));
  }
  const services: ModuleServices = {
    name,
    store,
    log: host.log.child({ module: name }),
    webhookUrl: host.webhookUrl,
    kv: namespacedKv(store, name),
    table: (t) => moduleTable(store.namespace, name, t),
    clock: host.clock,
    events: busOf(host).forModule(name),
    catchAllFollows: () => host.catchAllFollows?.(name) ?? false,
  };

  const composer = new ModuleComposer<Context & { session: unknown; chatSession: unknown }>(name, {
    commands: def.consumes?.commands ?? [],
    namespace,
  });
  await def.setup?.(composer as never, options, services);
  for (const job of def.jobs?.(options, services) ?? []) host.addJob(job);
  for (const route of def.routes?.(options, services) ?? []) host.addRoute(name, route);

  const inner = flatten(composer) as unknown as MiddlewareFn<Context>;
  const keepsSessions = Boolean(sessions.session || sessions.chatSession);
  // The module's chain runs as a unit: when none of its handlers answered, the rest of the
  // bot runs after its sessions were saved and released, not inside them.
  const middleware: MiddlewareFn<Context> = async (ctx, next) => {
    let passed = false;
    const run = () => inner(ctx, async () => void (passed = true));
    if (keepsSessions) await withSessions(ctx, store, sessions, async () => void (await run()));
    else await run();
    if (passed) await next();
  };
  return { name, middleware, catchAll: catchAllOf(name, def.consumes?.catchAllText), emulator: def.emulator?.(options, services) ?? [] };
}

function catchAllOf(name: string, declared: boolean | { priority: number } | undefined): false | { priority: number } {
  if (declared === undefined || declared === false) return false;
  if (declared === true) return { priority: 0 };
  if (!Number.isFinite(declared.priority)) throw new BotConfigError(`module ${name}: consumes.catchAllText.priority must be a number`);
  return { priority: declared.priority };
}
