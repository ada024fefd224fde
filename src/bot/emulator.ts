/**
 * The contract between a module and the local emulator (`wecombot dev`, `npm start`): a module
 * may offer chat commands (`/weather`, `/signup-demo`) so that it can be tried without WeCom.
 * The emulator plays WeCom and the group around the bot; a command drives it through
 * {@link EmulatorApi}, and every message still goes through the real signed, encrypted pipeline.
 *
 * Only types live here: the emulator itself is in src/cli/dev/, and nothing in a bot bundle
 * loads it.
 */
import type { Store } from '../store/store.js';
import type { JobDefinition, JobRunResult } from './jobs.js';

/** The part of the bot an emulator command may use (a `Bot` satisfies it). */
export interface EmulatorBot {
  /** `group` and/or `aibot`: the robots the bot answers for. */
  readonly robots: readonly string[];
  /** Names of the installed modules. */
  readonly modules: readonly string[];
  jobs(): readonly JobDefinition[];
  runJob(name: string, firedAt?: Date): Promise<JobRunResult>;
  store(): Promise<Store>;
}

/** One simulated member of the chat. */
export interface EmulatorMember {
  readonly userId: string;
  /** Sends `text` to the bot as this member (the @-mention is added in group chats). */
  says(text: string): Promise<void>;
  /** Clicks a button as this member (see {@link EmulatorApi.click}). */
  click(id: string, value?: string): Promise<void>;
}

/** What an emulator command may do. Answers, pushes and buttons are printed by the emulator. */
export interface EmulatorApi {
  /** The member the user currently acts as (`/as alice`). */
  readonly userId: string;
  /** `group` (classic group robot) or `aibot` (smart robot): who the chat talks to (`/robot`). */
  readonly robot: 'group' | 'aibot';
  readonly bot: EmulatorBot;
  /** Sends `text` as the current member. */
  says(text: string): Promise<void>;
  /** Another member (created on first use; `name` sets the display name). */
  member(userId: string, name?: string): EmulatorMember;
  /**
   * Clicks a button as the current member. `id` is a number or an id shown under the last
   * reply; any other id is sent as it is (classic robot: callback id and action name; AI bot:
   * event key of the last card's task). `value` overrides the button's value (classic robot) or
   * gives the selected option ids, comma-separated (AI bot vote and selection cards).
   */
  click(id: string, value?: string): Promise<void>;
  /** A member opens the single chat with the robot (`event:enter_chat`). */
  entersChat(userId?: string): Promise<void>;
  /** The robot is added to the chat (`event:add_to_chat`). */
  robotAdded(by?: string): Promise<void>;
  /** Runs a job now (no fire time, no de-duplication) and prints how it went. */
  runJob(name: string): Promise<JobRunResult>;
  /** Prints a line; WeCom markdown is rendered for the terminal. */
  print(text: string): void;
}

/**
 * A chat command of the emulator: `/name args`.
 *
 * @example
 * const weather: EmulatorCommand = {
 *   name: 'weather',
 *   description: 'run the weather push now',
 *   run: async (_args, emulator) => void (await emulator.runJob('notifier')),
 * };
 */
export interface EmulatorCommand {
  /** Without the slash; letters, digits and `-`. */
  readonly name: string;
  /** One line for `/help`. */
  readonly description: string;
  /** The arguments, for `/help` (`<city>`). */
  readonly usage?: string;
  run(args: string, emulator: EmulatorApi): Promise<void> | void;
}
