/**
 * The chat around the bot in `wecombot dev`: members who talk and click, through the test kit's
 * fake group (really signed and encrypted callbacks over HTTP to the running callback server),
 * and the printing of everything the bot sends back: passive replies, webhook pushes, AI bot
 * response_url posts, with the buttons they carry.
 */
import { randomBytes } from 'node:crypto';
import type { Bot } from '../../bot/bot.js';
import type { EmulatorApi, EmulatorMember } from '../../bot/emulator.js';
import type { JobRunResult } from '../../bot/jobs.js';
import type { CardSelectedItem } from '../../testing/fake-group/callbacks.js';
import { createTestGroup, type Exchange, type TestGroup } from '../../testing/fake-group/group.js';
import type { FakeWecom } from '../../testing/fake-wecom/types.js';
import { viewJson, viewPlaintext, type DevButton, type MessageView } from './message-view.js';

export type Robot = 'group' | 'aibot';

export interface EmulatorChatOptions {
  bot: Bot;
  fake: FakeWecom;
  /** Base URL of the callback server the bot runs in. */
  serverUrl: string;
  /** The webhook URL callbacks carry (the fake's, or a real robot's in real mode). */
  webhookUrl: string;
  /** Prints a line (already rendered for the terminal). */
  print(line: string): void;
  /** Renders WeCom markdown for the terminal. */
  render(markdown: string): string;
}

const DEFAULT_MEMBER = { userId: 'you', name: '你' };

/** The emulator's side of the chat; it is also the {@link EmulatorApi} commands get. */
export class EmulatorChat implements EmulatorApi {
  readonly bot: Bot;
  #options: EmulatorChatOptions;
  #groups = new Map<Robot, TestGroup>();
  #robot: Robot;
  #member = DEFAULT_MEMBER;
  #buttons: DevButton[] = [];
  #seenPushes = 0;
  #seenResponses = 0;

  private constructor(options: EmulatorChatOptions, groups: Map<Robot, TestGroup>) {
    this.#options = options;
    this.bot = options.bot;
    this.#groups = groups;
    this.#robot = groups.has('group') ? 'group' : 'aibot';
  }

  /** One fake chat per robot the bot answers for, sharing the chat id and the fake WeCom. */
  static async start(options: EmulatorChatOptions): Promise<EmulatorChat> {
    const chatId = `wr${randomBytes(6).toString('hex')}`;
    const groups = new Map<Robot, TestGroup>();
    for (const robot of options.bot.robots) {
      groups.set(
        robot,
        await createTestGroup(options.bot, { robot, fake: options.fake, url: options.serverUrl, webhookUrl: options.webhookUrl, chatId }),
      );
    }
    return new EmulatorChat(options, groups);
  }

  get userId(): string {
    return this.#member.userId;
  }

  get robot(): Robot {
    return this.#robot;
  }

  /** The robots this chat can talk to. */
  get robots(): Robot[] {
    return [...this.#groups.keys()];
  }

  /** The buttons of the last message that had some. */
  get buttons(): readonly DevButton[] {
    return this.#buttons;
  }

  /** Acts as `userId` from now on. */
  actAs(userId: string, name?: string): void {
    this.#member = { userId, name: name ?? userId };
    this.#group(this.#robot).member(userId, { name: this.#member.name });
  }

  /** Talks to the other robot from now on. */
  useRobot(robot: Robot): void {
    if (!this.#groups.has(robot)) throw new Error(`the bot has no ${robot} robot`);
    this.#robot = robot;
  }

  says(text: string): Promise<void> {
    return this.member(this.#member.userId, this.#member.name).says(text);
  }

  member(userId: string, name?: string): EmulatorMember {
    const displayName = name ?? (userId === this.#member.userId ? this.#member.name : userId);
    return {
      userId,
      says: async (text) => {
        const group = this.#group(this.#robot);
        // In a group chat a member @-mentions the robot; the bot strips the mention.
        const ex = await this.#timed(() => group.member(userId, { name: displayName }).says(`@bot ${text}`));
        await this.#show(ex, group);
      },
      click: (id, value) => this.#click(userId, displayName, id, value),
    };
  }

  click(id: string, value?: string): Promise<void> {
    return this.#click(this.#member.userId, this.#member.name, id, value);
  }

  async entersChat(userId = this.#member.userId): Promise<void> {
    const group = this.#group(this.#robot);
    await this.#show(await this.#timed(() => group.entersChat(userId)), group);
  }

  async robotAdded(by = this.#member.userId): Promise<void> {
    const group = this.#group('group');
    await this.#show(await this.#timed(() => group.robotAdded(by)), group);
  }

  async runJob(name: string): Promise<JobRunResult> {
    const result = await this.bot.runJob(name); // no fire time: a manual run
    if (result.status === 'failed') this.print(`! job ${name} failed: ${result.error.describe()}`);
    else if (result.status === 'skipped') this.print(`(job ${name} skipped: ${result.reason})`);
    else if (result.status === 'unknown') this.print(`! no job named ${name}; /jobs lists them`);
    await this.flush();
    return result;
  }

  print(text: string): void {
    this.#options.print(this.#options.render(text));
  }

  /** Waits for the bot's late work, then prints what it pushed or posted since last time. */
  async flush(): Promise<void> {
    await this.bot.idle();
    const group = this.#groups.get('group');
    const pushes = group?.pushes() ?? [];
    for (const message of pushes.slice(this.#seenPushes)) this.#printSent('webhook push', message as unknown as Record<string, unknown>);
    this.#seenPushes = pushes.length;
    const aibot = this.#groups.get('aibot');
    const responses = aibot?.responses() ?? [];
    for (const body of responses.slice(this.#seenResponses)) this.#printSent('response_url', body);
    this.#seenResponses = responses.length;
  }

  /** Prints the buttons of the last message that had some, with their numbers for `/click`. */
  printButtons(): void {
    if (this.#buttons.length === 0) return this.#options.print('(no buttons yet: none of the replies so far had any)');
    const lines = this.#buttons.map((b, i) =>
      b.robot === 'group'
        ? `  [${i + 1}] ${b.label}  (callback ${b.callbackId}, name ${b.name}, value ${b.value})`
        : `  [${i + 1}] ${b.label}  (task ${b.taskId}, key ${b.key}${b.questions.length ? '; value: option ids, e.g. ' + example(b) : ''})`,
    );
    this.#options.print(`  buttons: /click N [value]\n${lines.join('\n')}`);
  }

  async close(): Promise<void> {
    for (const group of this.#groups.values()) await group.close();
  }

  #group(robot: Robot): TestGroup {
    const group = this.#groups.get(robot);
    if (!group) throw new Error(`the bot has no ${robot} robot`);
    return group;
  }

  async #timed(send: () => Promise<Exchange>): Promise<{ ex: Exchange; ms: number }> {
    const started = performance.now();
    const ex = await send();
    return { ex, ms: Math.round(performance.now() - started) };
  }

  async #click(userId: string, name: string, id: string, value: string | undefined): Promise<void> {
    const button = this.#find(id);
    if (!button) this.#options.print(`(no button "${id}" among the last buttons: sending a click with that id)`);
    const robot = button?.robot ?? this.#robot;
    const group = this.#group(robot);
    const member = group.member(userId, { name });
    let exchange: { ex: Exchange; ms: number };
    if (robot === 'group') {
      const b = button?.robot === 'group' ? button : undefined;
      const callbackId = b?.callbackId ?? id;
      const action = { name: b?.name ?? id, value: value ?? b?.value ?? id };
      exchange = await this.#timed(() => member.clicks(callbackId, action));
    } else {
      const b = button?.robot === 'aibot' ? button : undefined;
      const taskId = b?.taskId ?? this.#lastTaskId() ?? 'dev-task';
      const selected = value === undefined ? undefined : selection(value, b?.questions ?? []);
      exchange = await this.#timed(() =>
        member.clicksCard(taskId, b?.key ?? id, { ...(b ? { cardType: b.cardType } : {}), ...(selected ? { selected } : {}) }),
      );
    }
    await this.#show(exchange, group);
  }

  /** A number from the list, or a button's action name / event key / callback id. */
  #find(id: string): DevButton | undefined {
    if (/^\d+$/.test(id)) return this.#buttons[Number(id) - 1];
    return this.#buttons.find((b) => (b.robot === 'group' ? b.name === id || b.callbackId === id : b.key === id));
  }

  #lastTaskId(): string | undefined {
    const card = [...this.#buttons].reverse().find((b) => b.robot === 'aibot');
    return card?.robot === 'aibot' ? card.taskId : undefined;
  }

  async #show({ ex, ms }: { ex: Exchange; ms: number }, group: TestGroup): Promise<void> {
    if (ex.status !== 200) {
      this.#options.print(`! callback answered HTTP ${ex.status}: ${ex.response.body.trim()}`);
    } else if (!ex.reply) {
      const later = group === this.#groups.get('aibot') ? 'response_url' : 'webhook';
      this.#options.print(`bot (no passive reply after ${ms} ms; any answer follows by ${later})`);
    } else {
      const view = viewPlaintext(ex.reply.plaintext);
      this.#print(`passive reply, ${view.kind}, ${ms} ms`, view);
      if (view.streamId && view.finished === false) await this.#followStream(group, view.streamId);
    }
    await this.flush();
  }

  /** As WeCom does, asks for the rest of an AI bot stream, once the handler is done. */
  async #followStream(group: TestGroup, streamId: string): Promise<void> {
    await this.bot.idle();
    const ex = await group.refresh(streamId);
    if (!ex.reply) return this.#options.print(`(stream ${streamId}: no answer to the refresh)`);
    const view = viewPlaintext(ex.reply.plaintext);
    this.#print(`stream refresh${view.finished ? ', finished' : ', not finished'}`, view);
  }

  /** A message the bot sent on its own channel (webhook, response_url). */
  #printSent(channel: string, message: Record<string, unknown>): void {
    const view = viewJson(message);
    this.#print(`${channel}, ${view.kind}`, view);
  }

  #print(channel: string, view: MessageView): void {
    const body = this.#options
      .render(view.text)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n');
    this.#options.print(`bot (${channel}) ›\n${body}`);
    if (view.buttons.length > 0) {
      this.#buttons = view.buttons;
      this.printButtons();
    }
  }
}

function example(b: Extract<DevButton, { robot: 'aibot' }>): string {
  const [q] = b.questions;
  return (
    q?.options
      .slice(0, 2)
      .map((o) => (b.questions.length > 1 ? `${q.key}=${o.id}` : o.id))
      .join(',') ?? ''
  );
}

/**
 * `/click` values for a card: `a,b` are option ids of the card's first question,
 * `q2=c` an option of the question `q2`.
 */
function selection(value: string, questions: readonly { key: string }[]): CardSelectedItem[] {
  const byQuestion = new Map<string, string[]>();
  for (const token of value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)) {
    const [questionKey, optionId] = token.includes('=')
      ? (token.split('=', 2) as [string, string])
      : [questions[0]?.key ?? 'question', token];
    byQuestion.set(questionKey, [...(byQuestion.get(questionKey) ?? []), optionId]);
  }
  return [...byQuestion].map(([questionKey, optionIds]) => ({ questionKey, optionIds }));
}
