/**
 * The emulator's `/commands`: the built-in ones (act as a member, click, switch robot, jobs),
 * the ones modules offer (`EmulatorCommand`, e.g. the demo's `/weather`), and `/help` over all.
 */
import type { EmulatorCommand } from '../../bot/emulator.js';
import { DEFAULT_JOB_TIMEZONE } from '../../bot/jobs.js';
import type { EmulatorChat } from './emulator-chat.js';

/** A built-in command: it gets the whole chat, not only the API modules get. */
interface BuiltinCommand {
  readonly name: string;
  readonly usage?: string;
  readonly description: string;
  run(args: string, chat: EmulatorChat): Promise<void> | void;
}

const builtins: BuiltinCommand[] = [
  {
    name: 'as',
    usage: '<userid> [name]',
    description: 'act as another member from now on (/as alice 张三)',
    run(args, chat) {
      const [userId, ...name] = args.split(/\s+/).filter(Boolean);
      if (!userId) return chat.print(`you are ${chat.userId}`);
      chat.actAs(userId, name.length ? name.join(' ') : undefined);
      chat.print(`(you are now ${userId}${name.length ? ` (${name.join(' ')})` : ''})`);
    },
  },
  {
    name: 'click',
    usage: '<n|id> [value]',
    description: 'click button n of the last reply (or send a click with that id); value: AI bot card options, e.g. a,b',
    async run(args, chat) {
      const [id, ...rest] = args.split(/\s+/).filter(Boolean);
      if (!id) return chat.printButtons();
      await chat.click(id, rest.length ? rest.join(' ') : undefined);
    },
  },
  { name: 'buttons', description: 'show the buttons of the last reply again', run: (_args, chat) => chat.printButtons() },
  {
    name: 'robot',
    usage: '[group|aibot]',
    description: 'talk to the classic group robot or the AI bot (智能机器人)',
    run(args, chat) {
      const robot = args.trim();
      if (robot === 'group' || robot === 'aibot') chat.useRobot(robot);
      else if (robot) return chat.print(`! /robot takes group or aibot (this bot has ${chat.robots.join(', ')})`);
      chat.print(`(talking to the ${chat.robot} robot; this bot has ${chat.robots.join(', ')})`);
    },
  },
  {
    name: 'enter',
    usage: '[userid]',
    description: 'a member opens the single chat with the robot (event enter_chat)',
    run: (args, chat) => chat.entersChat(args.trim() || undefined),
  },
  { name: 'added', description: 'the robot is added to the chat (event add_to_chat)', run: (_args, chat) => chat.robotAdded() },
  {
    name: 'jobs',
    description: 'list the jobs and their next fire times',
    async run(_args, chat) {
      const jobs = chat.bot.jobs();
      if (jobs.length === 0) return chat.print('(no jobs)');
      const next = await chat.bot.nextRuns();
      chat.print(
        jobs.map((j) => `${j.name}  ${j.schedule} (${j.timezone ?? DEFAULT_JOB_TIMEZONE})  next ${next[j.name] ?? 'never'}`).join('\n'),
      );
    },
  },
  {
    name: 'run',
    usage: '<job>',
    description: 'run a job now and show what it pushed',
    async run(args, chat) {
      if (!args.trim()) return chat.print('! /run takes a job name; /jobs lists them');
      await chat.runJob(args.trim());
    },
  },
];

export interface ChatCommands {
  /** Runs `/name args`; false when the name is unknown. */
  run(line: string): Promise<boolean>;
  /** The /help text. */
  help(): string;
}

/**
 * The commands of one session: the built-ins, then `extra` (modules', the demo's). A module
 * command named like a built-in or an earlier one is left out, and `warn` says so.
 */
export function chatCommands(chat: EmulatorChat, extra: readonly EmulatorCommand[], warn: (line: string) => void): ChatCommands {
  const commands = new Map<string, (args: string) => Promise<void> | void>();
  const help = ['Type a message to @-mention the bot as the current member. Commands:'];
  const add = (name: string, usage: string | undefined, description: string, run: (args: string) => Promise<void> | void) => {
    commands.set(name, run);
    help.push(`  ${`/${name}${usage ? ` ${usage}` : ''}`.padEnd(24)} ${description}`);
  };
  for (const c of builtins) add(c.name, c.usage, c.description, (args) => c.run(args, chat));
  for (const c of extra) {
    if (commands.has(c.name) || ['help', 'quit', 'exit'].includes(c.name)) {
      warn(`(emulator command /${c.name} of a module is hidden by another command of that name)`);
      continue;
    }
    add(c.name, c.usage, c.description, (args) => c.run(args, chat));
  }
  help.push(`  ${'/help'.padEnd(24)} this help`, `  ${'/quit'.padEnd(24)} exit`);
  return {
    async run(line) {
      const [, name = '', args = ''] = /^\/(\S+)\s*([\s\S]*)$/.exec(line) ?? [];
      const command = commands.get(name);
      if (!command) return false;
      await command(args.trim());
      return true;
    },
    help: () => help.join('\n'),
  };
}
