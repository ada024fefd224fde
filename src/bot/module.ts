/**
 * The module contract, second edition: how a ready-made bot (src/bots/) or a user's own
 * feature declares itself to the core. A module says what it consumes (commands, button
 * namespaces, a catch-all text handler), what state it keeps (sessions, tables through its
 * migrations), its handlers (on a child composer it owns), jobs, HTTP routes, run-time files
 * and emulator commands. The core installs it: runs its migrations once per store, orders its
 * handlers, refuses conflicts at start-up, and serves its routes on every runtime.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AnyTables, SqlDialect, Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Context } from './context.js';
import type { EmulatorCommand } from './emulator.js';
import type { ModuleEvents } from './events.js';
import { BotConfigError } from './errors.js';
import type { JobDefinition } from './jobs.js';
import type { ModuleComposer } from './module-composer.js';
import type { RouteDefinition } from './routes/types.js';
import type { SessionOptions } from './session.js';
import { didYouMeanSuffix } from '../config/did-you-mean.js';
import { WecombotError } from '../errors.js';

/** What a module's handlers may consume; the core refuses two modules claiming the same. */
export interface ModuleConsumes {
  /** Command words the module answers (`报名`, `/faq`): no other module may claim them. */
  commands?: readonly string[];
  /**
   * Button id namespaces (default: the module's name when it declares buttons). The module's
   * `composer.action('join')` answers the button id `<namespace>:join`.
   */
  buttons?: readonly string[];
  /**
   * True when the module answers any text (a knowledge base, an FAQ). Its handlers run after
   * every specific handler, whatever the order in `bots: [...]`. Among catch-all modules a
   * higher `priority` runs first (default 0; equal ones keep the install order): the FAQ
   * (priority 10) answers before kb-search (0).
   */
  catchAllText?: boolean | { priority: number };
}

/** A table change of a module. `table('signups')` gives the module's own table name. */
export interface ModuleMigration {
  /** Recorded once applied, as `<module>/<name>`; never rename an applied migration. */
  name: string;
  /** `sql.dialect` tells SQLite from PostgreSQL for the rare change that differs (auto-increment ids, say). */
  up(db: Kysely<AnyTables>, table: (name: string) => string, sql: { dialect: SqlDialect }): Promise<void>;
}

/** A namespaced view of the store's key-value half: keys never collide with another module's. */
export interface ModuleKv {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  delete(key: string): Promise<boolean>;
  setIfAbsent(key: string, value: string, options?: { ttlMs?: number }): Promise<boolean>;
  incr(key: string, options: { windowMs: number; by?: number }): Promise<number>;
}

/** What a module's `setup`, `jobs` and `routes` get besides its options. */
export interface ModuleServices {
  /** The module's name. */
  readonly name: string;
  readonly store: Store;
  /** Logger with `module` bound. */
  readonly log: Logger;
  /** WECOM_WEBHOOK_URL, for jobs and routes that push without a callback. */
  readonly webhookUrl: string | undefined;
  /** Key-value access namespaced to this module. */
  readonly kv: ModuleKv;
  /** The module's own name for a table: `table('signups')` → `wecombot_signup_signups`. */
  table(name: string): string;
  /** The bot's clock (a `manualClock()` in tests): deadlines and reminders read time from it. */
  readonly clock: Clock;
  /**
   * Domain events shared by the bot's modules (src/bot/events.ts): `emit('signup.joined', …)`
   * after the fact, `on('lead.created', …)` in setup. Awaited, in process, listener errors logged.
   */
  readonly events: ModuleEvents;
  /**
   * True when another module's catch-all text handler runs after this module's (the bot's
   * catch-all order: priority, then install order). Read it when handling, not in setup: a
   * module installed later counts. The FAQ passes what it cannot answer on when this holds.
   */
  catchAllFollows(): boolean;
}

/** The definition of a module: `O` its parsed options, `I` what the user writes, `S`/`CS` its sessions. */
export interface BotModuleDefinition<O = void, I = O, S = undefined, CS = undefined> {
  /** Unique, kebab-case (`welcome`, `kb-search`). Shows in logs; prefixes its tables and keys. */
  name: string;
  /**
   * Validates the user's options into what the module gets; runs when the config is read, so a
   * bad field stops the start. Throw an error naming the field (BotConfigError or TypeError).
   */
  options?: (input: I) => O;
  consumes?: ModuleConsumes;
  /** Per (chat, member) state: `ctx.session` in the module's handlers. */
  session?: SessionOptions<S>;
  /** Per chat state: `ctx.chatSession` in the module's handlers. */
  chatSession?: SessionOptions<CS>;
  /** Schema changes, applied once per store, in order, before the module's handlers run. */
  migrations?: readonly ModuleMigration[];
  /** Registers the module's handlers on its own child composer. */
  setup?: (composer: ModuleComposer<ModuleContext<S, CS>>, options: O, services: ModuleServices) => void | Promise<void>;
  /** Scheduled jobs. */
  jobs?: (options: O, services: ModuleServices) => readonly JobDefinition[];
  /** HTTP endpoints (lead intake, for example), served on every runtime. */
  routes?: (options: O, services: ModuleServices) => readonly RouteDefinition[];
  /** Files read at run time (an index), relative to the project; packed by `wecombot build`. */
  assets?: (options: O) => readonly string[];
  /** Commands the local emulator (`wecombot dev`) offers for this module. */
  emulator?: (options: O, services: ModuleServices) => readonly EmulatorCommand[];
}

/** The context inside a module's handlers: its sessions are typed. */
export type ModuleContext<S = undefined, CS = undefined> = Context & { session: S; chatSession: CS };

/** An installable module: what the core reads. Created by the factory `defineBotModule` returns. */
export interface BotModule {
  readonly name: string;
  /** Run-time files, relative to the project directory (see `bundleDir()`). */
  readonly assets: readonly string[];
  /** The definition and its parsed options; the core installs from these. */
  readonly definition: BotModuleDefinition<unknown, unknown, unknown, unknown>;
  readonly options: unknown;
}

/** A module's factory: options may be left out when the module takes none, or only optional ones. */
export type ModuleFactory<I> = (
  ...options: [I] extends [void] ? [] : Record<never, never> extends I ? [options?: I] : [options: I]
) => BotModule;

const DEFINITION_KEYS = new Set([
  'name',
  'options',
  'consumes',
  'session',
  'chatSession',
  'migrations',
  'setup',
  'jobs',
  'routes',
  'assets',
  'emulator',
]);
const MODULE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Defines a module: returns a factory taking the user's options, parsed at once.
 *
 * @example
 * export const signup = defineBotModule({
 *   name: 'signup',
 *   options: (o: { title: string }) => ({ title: requireText(o.title, 'signup.title') }),
 *   consumes: { commands: ['报名'], buttons: ['signup'] },
 *   session: { initial: () => ({ joined: false }) },
 *   setup(m, options) {
 *     m.command('报名', (ctx) => ctx.reply({ markdown: options.title, buttons: [{ id: m.button('join'), text: '报名' }] }));
 *     m.action('join', async (ctx) => {
 *       ctx.session.joined = true;
 *       await ctx.reply('已报名', { visibleTo: ctx.from.userId });
 *     });
 *   },
 * });
 * // wecombot.config.ts
 * export default defineConfig({ bots: [signup({ title: '周六读书会' })] });
 */
export function defineBotModule<O = void, I = O, S = undefined, CS = undefined>(
  definition: BotModuleDefinition<O, I, S, CS>,
): ModuleFactory<I> {
  for (const key of Object.keys(definition)) {
    if (!DEFINITION_KEYS.has(key)) {
      throw new BotConfigError(`module ${String(definition.name)}: unknown field "${key}"${didYouMeanSuffix(key, DEFINITION_KEYS)}`, {
        hint:
          key === 'install' || key === 'parse'
            ? 'that is the first module contract: register handlers in setup(composer, options), declare jobs and routes, and parse with options'
            : `the fields are ${[...DEFINITION_KEYS].join(', ')}`,
      });
    }
  }
  if (!MODULE_NAME.test(definition.name ?? '')) {
    throw new BotConfigError(`module name "${String(definition.name)}" is invalid`, {
      hint: 'use kebab-case: lower-case letters and digits, words joined by -',
    });
  }
  return (...args: unknown[]) => {
    // Options that are all optional may be left out: the parser then gets `{}`.
    const input = (args[0] ?? (definition.options ? {} : undefined)) as I;
    let options: O;
    try {
      options = definition.options ? definition.options(input) : (input as unknown as O);
    } catch (cause) {
      if (cause instanceof BotConfigError) throw cause;
      // The ready-made bots' errors (BotOptionsError) already start with the module's name.
      const message = cause instanceof Error ? cause.message : String(cause);
      const hint = cause instanceof WecombotError ? cause.hint : undefined;
      throw new BotConfigError(message.startsWith(`${definition.name}: `) ? message : `${definition.name}: ${message}`, {
        cause,
        ...(hint ? { hint } : {}),
      });
    }
    return {
      name: definition.name,
      assets: definition.assets ? definition.assets(options) : [],
      definition: definition as unknown as BotModuleDefinition<unknown, unknown, unknown, unknown>,
      options,
    };
  };
}

/** True for a value made by a `defineBotModule` factory (configs are checked with it). */
export function isBotModule(value: unknown): value is BotModule {
  const m = value as Partial<BotModule> | null;
  return typeof m === 'object' && m !== null && typeof m.name === 'string' && typeof m.definition === 'object' && m.definition !== null;
}

/**
 * The module's own table name, under the store's namespace (so two bots sharing a database,
 * or two test runs, never share a table): `wecombot` + `signup` + `signups` →
 * `wecombot_signup_signups`.
 */
export function moduleTable(namespace: string, module: string, name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    throw new BotConfigError(`table name "${name}" of module ${module} is invalid`, { hint: 'use lower-case letters, digits and _' });
  return `${namespace}_${module.replace(/-/g, '_')}_${name}`;
}

/**
 * Where a module's relative asset paths resolve: the bundle's folder in a built function
 * (`wecombot build` sets WECOMBOT_BUNDLE_DIR), else the current directory.
 */
export function bundleDir(): string {
  return process.env.WECOMBOT_BUNDLE_DIR || process.cwd();
}
