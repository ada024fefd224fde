import type { Command } from 'commander';
import { CORP_ENV } from '../corp/env.js';
import { ENV } from '../config/env.js';

/**
 * The "Environment:" section of `--help`: every command names the variables it reads. A command
 * declares them with {@link withEnv} (usually from the {@link ENV_HELP} groups below, so a variable
 * is described the same everywhere); `buildProgram` then gives each command group the union of its
 * sub-commands' (see {@link addGroupEnvHelp}). test/cli/conventions.test.ts fails for a command
 * that declares nothing, so a new command cannot forget it.
 *
 * @example
 * withEnv(program.command('leads').description('…'), [...ENV_HELP.store, ENV_HELP.logLevel]);
 */

export interface EnvVar {
  name: string;
  description: string;
}

const v = (name: string, description: string): EnvVar => ({ name, description });

/** Variables read by several commands, described once. */
export const ENV_HELP = Object.freeze({
  /** The robots' callback secrets (接收消息配置); each pair is all-or-nothing. */
  robots: [
    v(ENV.token, 'the group robot callback Token'),
    v(ENV.aesKey, 'the group robot callback EncodingAESKey (43 characters)'),
    v(ENV.aibotToken, 'the smart robot (智能机器人) callback Token'),
    v(ENV.aibotAesKey, 'the smart robot callback EncodingAESKey'),
  ],
  /** The corp (self-built) app: its callback and its API. */
  corpApp: [
    v(CORP_ENV.corpId, '企业ID, with the corp app'),
    v(CORP_ENV.token, 'the corp app callback Token (接收消息 → 设置API接收)'),
    v(CORP_ENV.encodingAesKey, 'the corp app callback EncodingAESKey'),
    v(CORP_ENV.secret, 'the corp app Secret, for the corp API (ctx.corp)'),
    v(CORP_ENV.apiBase, 'corp API origin (default https://qyapi.weixin.qq.com; a fake or a gateway)'),
  ],
  /** The corp API client alone (`wecombot corp`). */
  corpApi: [
    v(CORP_ENV.corpId, '企业ID'),
    v(CORP_ENV.secret, 'the self-built app Secret'),
    v(CORP_ENV.apiBase, 'corp API origin (default https://qyapi.weixin.qq.com)'),
  ],
  /** The shared store (sessions, de-duplication, jobs); SQLite in .wecombot/ without one. */
  store: [
    v(ENV.databaseUrl, 'PostgreSQL URL (postgres://…), a SQLite file (sqlite:path) or memory:'),
    v(ENV.redisUrl, 'Redis URL (redis://…), for the shared store'),
    v('WECOMBOT_STORE_NAMESPACE', 'prefix of the store tables and keys (several bots in one database)'),
  ],
  /** The default webhook of `ctx.push` and jobs. */
  webhook: [v(ENV.webhookUrl, 'the default group robot webhook (…/webhook/send?key=…)')],
  logLevel: v('WECOMBOT_LOG_LEVEL', 'log level: fatal, error, warn, info (default), debug, trace or silent'),
  port: v('PORT', 'port to listen on when --port and the config give none (default 3000)'),
  /** Output conventions every command honours; listed where a command prints colours or bars. */
  color: [v('NO_COLOR', 'any non-empty value: no ANSI colours'), v('FORCE_COLOR', 'non-empty and not 0: colours even into a pipe')],
});

const declared = new WeakMap<Command, readonly EnvVar[]>();

/** Declares the variables `command` reads and adds them to its `--help`. Returns the command. */
export function withEnv(command: Command, vars: readonly EnvVar[]): Command {
  const first = !declared.has(command);
  declared.set(command, dedupe([...(declared.get(command) ?? []), ...vars]));
  if (first) command.addHelpText('after', () => renderEnvHelp(declared.get(command) ?? []));
  return command;
}

/** Declares `vars` on every sub-command of `group` that has no sub-commands of its own (a group whose commands read the same variables). */
export function withEnvAll(group: Command, vars: readonly EnvVar[]): Command {
  for (const command of group.commands) {
    if (command.commands.length > 0) withEnvAll(command, vars);
    else withEnv(command, vars);
  }
  return group;
}

/** The variables `command` declared, or undefined when it declared none. */
export function declaredEnv(command: Command): readonly EnvVar[] | undefined {
  return declared.get(command);
}

/**
 * Completes the "Environment:" sections once every command is registered: an option's own
 * variable (commander's `.env()`, e.g. `crypto sign --token` from WECOM_TOKEN) is listed with
 * it, and every command group that declared nothing gets the union of its sub-commands'.
 */
export function addGroupEnvHelp(program: Command): void {
  const visit = (command: Command): readonly EnvVar[] => {
    const children = command.commands.flatMap((c) => visit(c));
    const fromOptions = command.options.flatMap((o) => (o.envVar ? [v(o.envVar, o.description)] : []));
    if (fromOptions.length > 0) withEnv(command, fromOptions);
    const own = declared.get(command);
    if (own) return [...own, ...children];
    if (command.commands.length > 0 && command !== program) withEnv(command, children);
    return children;
  };
  visit(program);
}

/** The help section for `vars`: a heading and one aligned line each. */
export function renderEnvHelp(vars: readonly EnvVar[]): string {
  if (vars.length === 0) return '\nEnvironment: none read by this command.';
  const width = Math.max(...vars.map((e) => e.name.length));
  return `\nEnvironment:\n${vars.map((e) => `  ${e.name.padEnd(width)}  ${e.description}`).join('\n')}`;
}

function dedupe(vars: readonly EnvVar[]): EnvVar[] {
  const seen = new Set<string>();
  return vars.filter((e) => !seen.has(e.name) && (seen.add(e.name), true));
}
