/**
 * The engine behind the web emulator: groups with members, single chats with the AI bot, and
 * everything that passes between them and the bot. Every member message and click goes through
 * the test kit's fake group (really signed and encrypted, over HTTP to the running callback
 * server); what the bot sends back (passive replies, webhook pushes, response_url posts) is
 * read from the exchange and from the fake WeCom's request log, and kept as messages with
 * their audience (visible_to_user) and as inspector entries with their raw HTTP.
 *
 * Actions run one at a time (a queue), so that a transcript replays in the order it was
 * recorded; what the bot does later (a push after a 45009 window, a stream) is picked up by a
 * poller and never blocks the page.
 */
import { randomBytes } from 'node:crypto';
import type { Bot } from '../../../bot/bot.js';
import type { EmulatorApi, EmulatorMember } from '../../../bot/emulator.js';
import type { JobRunResult } from '../../../bot/jobs.js';
import { LIMITS } from '../../../protocol/limits.js';
import type { Store } from '../../../store/store.js';
import { createTestCorp, type CorpExchange, type TestCorp } from '../../../testing/fake-corp/test-corp.js';
import { createTestGroup, type Exchange, type TestGroup } from '../../../testing/fake-group/group.js';
import type { ReceivedRequest } from '../../../testing/fake-wecom/types.js';
import { DEV_CUSTOMER_GROUP } from '../emulator-corp.js';
import type { DevRuntime } from '../session.js';
import { bodyFor, buttonsOf, cardOf, summaryOf } from './buttons.js';
import type {
  InjectKind,
  Robot,
  WebAction,
  WebButton,
  WebConversation,
  WebExchange,
  WebMember,
  WebMessage,
  WebRobotStatus,
  WebState,
} from './model.js';
import { formatTranscript, type TranscriptLine, type TranscriptStep } from './transcript.js';
import { describeRequest, describeResponse, replyBody, visibleToOf } from './wire.js';

const STATE_KEY = 'dev:web:session:v1';
const MAX_MESSAGES = 500;
const MAX_EXCHANGES = 200;
/** The client waits one window plus its margin after a 45009 (src/client/webhook-client.ts). */
const CLIENT_WINDOW_WAIT_MS = LIMITS.windowMs + 1000;
/** A request the fake has not answered after this long is read as it is (it never will be). */
const UNANSWERED_GIVE_UP_MS = 120_000;
const DEFAULT_VIEWER: WebMember = { userId: 'you', name: '你' };
const DEFAULT_MEMBERS: WebMember[] = [DEFAULT_VIEWER, { userId: 'alice', name: 'Alice 王' }, { userId: 'bob', name: 'Bob 李' }];

interface Saved {
  conversations: WebConversation[];
  viewer: WebMember;
  messages: WebMessage[];
  exchanges: WebExchange[];
  transcript: TranscriptLine[];
}

export interface ReplayResult {
  ok: boolean;
  steps: { n: number; step: TranscriptStep; expected: string[]; got: string[]; ok: boolean; error?: string }[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const newId = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

export class WebChat implements EmulatorApi {
  readonly bot: Bot;
  readonly #rt: DevRuntime;
  readonly #store: Store;
  #conversations: WebConversation[] = [];
  #viewer: WebMember = DEFAULT_VIEWER;
  #messages: WebMessage[] = [];
  #exchanges: WebExchange[] = [];
  #transcript: TranscriptLine[] = [];
  readonly #groups = new Map<string, TestGroup>();
  readonly #corp: TestCorp | undefined;
  /** Index into the fake's request log of the next request to look at. */
  #seen: number;
  /** response_code → the exchange whose callback carried it. */
  readonly #responseCodes = new Map<string, string>();
  readonly #pending = new Map<Robot, InjectKind[]>();
  readonly #waiting = new Map<string, { until: number; reason: string }>();
  readonly #streams = new Set<Promise<void>>();
  #queue: Promise<unknown> = Promise.resolve();
  #busy = 0;
  /** Where module commands act: the conversation and robot of the page's last action. */
  #ctx: { conversationId: string; robot: Robot };
  /** The exchange bot log lines and late sends belong to. */
  #current: WebExchange | undefined;
  /** What the step being run produced (summaries), for its transcript line. */
  #produced: string[] | undefined;
  #poller: ReturnType<typeof setInterval> | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<() => void>();

  private constructor(rt: DevRuntime) {
    this.#rt = rt;
    this.bot = rt.bot;
    this.#store = rt.store;
    this.#corp = rt.bot.options.corp ? createTestCorp(rt.bot, { fake: rt.devCorp.fake, url: rt.server.url }) : undefined;
    this.#seen = rt.fake.received.length;
    this.#ctx = { conversationId: 'g1', robot: rt.bot.robots.includes('group') ? 'group' : 'aibot' };
  }

  /** Starts the engine; the session saved in the dev store (if any) is picked up again. */
  static async start(rt: DevRuntime): Promise<WebChat> {
    const chat = new WebChat(rt);
    await chat.#load();
    chat.#poller = setInterval(() => chat.#drain(), 100);
    return chat;
  }

  // ── the page's side ─────────────────────────────────────────────────────────────────────

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  state(): WebState {
    const now = Date.now();
    return {
      mode: this.#rt.real ? 'real' : 'fake',
      source: this.#rt.source,
      robots: [...this.bot.robots] as Robot[],
      modules: [...this.bot.modules],
      banner: this.#rt.banner,
      conversations: this.#conversations,
      viewer: this.#viewer,
      messages: this.#messages,
      exchanges: this.#exchanges,
      robotStatus: this.#robotStatus(now),
      commands: this.#rt.commands.map((c) => ({ name: c.name, description: c.description, ...(c.usage ? { usage: c.usage } : {}) })),
      jobs: this.bot.jobs().map((j) => ({ name: j.name, schedule: j.schedule })),
      busy: this.#busy > 0,
    };
  }

  /** Runs a page action (queued behind the running one). Errors land in the inspector. */
  act(action: WebAction): Promise<void> {
    return this.#enqueue(async () => {
      if (action.type === 'reset') return this.#reset();
      if (action.type === 'viewer') {
        this.#viewer = { userId: action.userId, name: action.name ?? this.#nameOf(action.userId) };
        return;
      }
      const clicked = action.type === 'click' ? this.#clicked(action) : undefined;
      const step: TranscriptStep = clicked?.step ?? (action as TranscriptStep);
      const line: TranscriptLine = { as: { ...this.#viewer }, step, expect: [] };
      this.#transcript.push(line);
      this.#produced = line.expect;
      try {
        if (clicked) await this.#clickButton(clicked.message, clicked.button, this.#viewer, clicked.step.selected);
        else await this.#run(step);
      } finally {
        this.#produced = undefined;
      }
    });
  }

  /** The session's transcript, as a file's text. */
  transcript(): string {
    return formatTranscript(this.#transcript);
  }

  /** Resets the session and plays `lines`, comparing what the bot sends with what was recorded. */
  replay(lines: readonly TranscriptLine[]): Promise<ReplayResult> {
    return this.#enqueue(async () => {
      await this.#reset();
      const result: ReplayResult = { ok: true, steps: [] };
      for (const [i, line] of lines.entries()) {
        this.#viewer = { ...line.as };
        this.#ensureMember(line.step, line.as);
        const recorded: TranscriptLine = { as: { ...line.as }, step: line.step, expect: [] };
        this.#transcript.push(recorded);
        this.#produced = recorded.expect;
        let error: string | undefined;
        try {
          await this.#run(line.step);
          await this.settle();
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        } finally {
          this.#produced = undefined;
        }
        const ok = error === undefined && JSON.stringify(recorded.expect) === JSON.stringify(line.expect);
        result.ok &&= ok;
        result.steps.push({ n: i + 1, step: line.step, expected: line.expect, got: [...recorded.expect], ok, ...(error ? { error } : {}) });
      }
      this.#changed();
      return result;
    });
  }

  /** Waits until the bot is done (late pushes, retries after a 45009, streams) and all is read. */
  async settle(): Promise<void> {
    await this.bot.idle();
    while (this.#streams.size > 0) await Promise.allSettled([...this.#streams]);
    await this.bot.idle();
    this.#drain();
  }

  /** A line of the bot's log (or the runtime's output): it goes to the running exchange. */
  log(line: string): void {
    const ex = this.#current ?? this.#exchanges.at(-1);
    if (!ex) return;
    if (/^\(log (error|fatal)\)/.test(line)) ex.errors.push(line);
    else ex.notes.push(line);
    this.#changed();
  }

  /**
   * An error the bot threw outside any handler (a rejected promise nobody awaited, a throw in a
   * timer): an inspector entry of its own, since it belongs to no exchange for sure.
   */
  backgroundError(kind: 'uncaughtException' | 'unhandledRejection' | string, err: unknown): void {
    const ex = this.#newExchange(`background error (${kind})`, this.#ctx.conversationId, undefined);
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    ex.errors.push(`${kind}: ${message} — thrown outside any handler; the dev server keeps running`);
    if (err instanceof Error && err.stack) ex.notes.push(err.stack);
    this.#changed();
  }

  async close(): Promise<void> {
    if (this.#poller) clearInterval(this.#poller);
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    await this.#save().catch(() => undefined);
    // The callback server (and the bot) close after this; the groups share the runtime's fake.
    this.#listeners.clear();
  }

  // ── EmulatorApi: what module commands (and the corp's /customer, /join) use ─────────────

  get userId(): string {
    return this.#viewer.userId;
  }

  get robot(): Robot {
    return this.#ctx.robot;
  }

  // A module command's steps wait for what the bot sends late (as the terminal emulator's
  // flush()), so that a demo's messages come in the order of its steps.
  async says(text: string): Promise<void> {
    await this.#say(this.#ctx.conversationId, this.#ctx.robot, this.#viewer, text);
    await this.#flush();
  }

  member(userId: string, name?: string): EmulatorMember {
    const who = { userId, name: name ?? this.#nameOf(userId) };
    return {
      userId,
      says: async (text) => {
        await this.#say(this.#ctx.conversationId, this.#ctx.robot, who, text);
        await this.#flush();
      },
      click: async (id, value) => {
        await this.#clickById(who, id, value);
        await this.#flush();
      },
    };
  }

  async click(id: string, value?: string): Promise<void> {
    await this.#clickById(this.#viewer, id, value);
    await this.#flush();
  }

  async entersChat(userId = this.#viewer.userId): Promise<void> {
    const conv = this.#single(userId);
    const group = await this.#group(conv, 'aibot');
    await this.#exchange(`${userId} opens the single chat`, conv, 'aibot', () => group.entersChat(userId));
  }

  async robotAdded(by = this.#viewer.userId): Promise<void> {
    const conv = this.#conv(this.#ctx.conversationId);
    const group = await this.#group(conv, 'group');
    await this.#exchange(`the robot is added by ${by}`, conv, 'group', () => group.robotAdded(by));
  }

  async runJob(name: string): Promise<JobRunResult> {
    const ex = this.#newExchange(`job ${name} (run now)`, undefined, undefined);
    const result = await this.#within(ex, () => this.bot.runJob(name));
    if (result.status === 'failed') ex.errors.push(`job ${name} failed: ${result.error.describe()}`);
    else if (result.status === 'skipped') ex.notes.push(`job ${name} skipped: ${result.reason}`);
    else if (result.status === 'unknown') ex.errors.push(`no job named ${name}`);
    this.#changed();
    return result;
  }

  print(text: string): void {
    const conv = this.#conversations.find((c) => c.id === this.#ctx.conversationId) ?? this.#conversations[0];
    if (conv)
      this.#addMessage(
        {
          conversationId: conv.id,
          sender: 'system',
          from: 'emulator',
          fromName: 'emulator',
          kind: 'note',
          body: { msgtype: 'note', note: { content: text } },
          channel: 'emulator',
          visibleTo: [this.#viewer.userId],
        },
        false,
      );
    this.#current?.notes.push(text);
  }

  // ── steps ───────────────────────────────────────────────────────────────────────────────

  /** The message and button a page click names, and the step a transcript records for it (by label). */
  #clicked(action: Extract<WebAction, { type: 'click' }>): {
    message: WebMessage;
    button: WebButton;
    step: Extract<TranscriptStep, { type: 'click' }>;
  } {
    const message = this.#messages.find((m) => m.id === action.messageId);
    const button = message ? buttonsOf(bodyFor(message, this.#viewer.userId), message.robot)[action.button] : undefined;
    if (!message || !button) throw new Error(`no button ${action.button} on message ${action.messageId}`);
    const step = {
      type: 'click' as const,
      robot: button.robot,
      label: button.label,
      conversationId: message.conversationId,
      ...(action.selected ? { selected: action.selected } : {}),
    };
    return { message, button, step };
  }

  async #run(step: TranscriptStep): Promise<void> {
    switch (step.type) {
      case 'say':
        this.#ctx = { conversationId: step.conversationId, robot: step.robot };
        return this.#say(step.conversationId, step.robot, this.#viewer, step.text);
      case 'click':
        return this.#clickLabel(step);
      case 'join':
        return this.#join(step.conversationId, { userId: step.userId, name: step.name ?? step.userId });
      case 'leave':
        return this.#leave(step.conversationId, step.userId);
      case 'addGroup':
        this.#addGroup(step.title);
        return;
      case 'single':
        this.#single(step.userId);
        return;
      case 'inject':
        return this.#inject(step.robot, step.kind);
      case 'job':
        await this.runJob(step.name);
        return;
      case 'command':
        return this.#command(step.line, step.conversationId);
    }
  }

  async #say(conversationId: string, robot: Robot, who: WebMember, text: string): Promise<void> {
    const conv = this.#conv(conversationId);
    if (conv.kind === 'single' && robot !== 'aibot') throw new Error('a single chat is with the AI bot');
    this.#ensureIn(conv, who);
    const group = await this.#group(conv, robot);
    // In a group a member @-mentions the robot (the bot strips the mention); a single chat has none.
    const wire = conv.kind === 'group' && !text.startsWith('@') ? `@bot ${text}` : text;
    this.#addMessage(
      {
        conversationId: conv.id,
        sender: 'member',
        from: who.userId,
        fromName: who.name,
        robot,
        kind: 'text',
        body: { msgtype: 'text', text: { content: wire } },
        channel: 'typed',
      },
      false,
    );
    await this.#exchange(`${who.name} says ${JSON.stringify(text)}`, conv, robot, () =>
      group.member(who.userId, { name: who.name }).says(wire),
    );
  }

  async #clickLabel(step: Extract<TranscriptStep, { type: 'click' }>): Promise<void> {
    const candidates = this.#messages.filter(
      (m) => (step.conversationId === undefined || m.conversationId === step.conversationId) && this.#sees(this.#viewer.userId, m),
    );
    for (const message of [...candidates].reverse()) {
      const button = buttonsOf(bodyFor(message, this.#viewer.userId), message.robot).find(
        (b) => b.label === step.label && b.robot === step.robot,
      );
      if (button) return this.#clickButton(message, button, this.#viewer, step.selected);
    }
    throw new Error(`no button "${step.label}" in the chat that ${this.#viewer.userId} sees`);
  }

  /** Waits for the bot's late work (pushes, response_url posts) and reads what it sent. */
  async #flush(): Promise<void> {
    await this.bot.idle();
    this.#drain();
  }

  async #clickById(who: WebMember, id: string, value: string | undefined): Promise<void> {
    // The message to click may be a late push (a waitlist offer after a cancellation) the bot
    // is still sending: wait for it and read it first.
    await this.#flush();
    const withButtons = [...this.#messages]
      .reverse()
      .find((m) => m.conversationId === this.#ctx.conversationId && buttonsOf(m.body, m.robot).length > 0);
    if (!withButtons) throw new Error('no message with buttons in this chat yet');
    const buttons = buttonsOf(withButtons.body, withButtons.robot);
    const button = /^\d+$/.test(id)
      ? buttons[Number(id) - 1]
      : buttons.find((b) => (b.robot === 'group' ? b.name === id || b.callbackId === id : b.key === id) || b.label === id);
    if (!button) throw new Error(`no button ${id} on the last message with buttons`);
    const selected =
      value && button.robot === 'aibot'
        ? [{ questionKey: firstQuestion(withButtons.body) ?? 'question', optionIds: value.split(',').map((s) => s.trim()) }]
        : undefined;
    const clicked = button.robot === 'group' && value !== undefined ? { ...button, value } : button;
    return this.#clickButton(withButtons, clicked, who, selected);
  }

  async #clickButton(
    message: WebMessage,
    button: WebButton,
    who: WebMember,
    selected: { questionKey: string; optionIds: string[] }[] | undefined,
  ): Promise<void> {
    const conv = this.#conv(message.conversationId);
    const group = await this.#group(conv, button.robot);
    const member = group.member(who.userId, { name: who.name });
    this.#ctx = { conversationId: conv.id, robot: button.robot };
    const title = `${who.name} clicks ${JSON.stringify(button.label)}`;
    if (button.robot === 'group') {
      await this.#exchange(title, conv, 'group', () => member.clicks(button.callbackId, { name: button.name, value: button.value }));
    } else {
      await this.#exchange(title, conv, 'aibot', () =>
        member.clicksCard(button.taskId, button.key, { cardType: button.cardType, ...(selected?.length ? { selected } : {}) }),
      );
    }
  }

  async #join(conversationId: string, who: WebMember): Promise<void> {
    const conv = this.#conv(conversationId);
    if (conv.kind !== 'group') throw new Error('members join groups, not single chats');
    if (!conv.members.some((m) => m.userId === who.userId)) conv.members.push(who);
    this.#addMessage(
      {
        conversationId: conv.id,
        sender: 'system',
        from: who.userId,
        fromName: who.name,
        kind: 'join',
        body: { msgtype: 'join', join: { content: `${who.name} 加入了群聊` } },
        channel: 'emulator',
      },
      false,
    );
    // The member's first @-message fires the welcome bot's group path; a corp app also hears
    // the join as a customer group change (group:join), as WeCom sends it for customer groups.
    if (this.#corp) {
      const corp = this.#corp;
      // The first group is the emulator's customer group (its corp ChatId is the one the demo's
      // welcome bot has in welcome.groups, and /join's default); other groups use their chat id.
      const chatId = conv.id === 'g1' ? DEV_CUSTOMER_GROUP : conv.chatId;
      await this.#corpExchange(`${who.name} joins ${conv.title} (corp group:join ${chatId})`, conv, () =>
        corp.customerJoinedGroup({ chatId, memberIds: [who.userId], joinScene: 3 }),
      );
    }
  }

  async #leave(conversationId: string, userId: string): Promise<void> {
    const conv = this.#conv(conversationId);
    const who = conv.members.find((m) => m.userId === userId);
    if (!who) throw new Error(`${userId} is not in ${conv.title}`);
    conv.members = conv.members.filter((m) => m.userId !== userId);
    this.#addMessage(
      {
        conversationId: conv.id,
        sender: 'system',
        from: userId,
        fromName: who.name,
        kind: 'leave',
        body: { msgtype: 'leave', leave: { content: `${who.name} 退出了群聊` } },
        channel: 'emulator',
      },
      false,
    );
  }

  #addGroup(title: string): WebConversation {
    const n = this.#conversations.filter((c) => c.kind === 'group').length + 1;
    const conv: WebConversation = {
      id: `g${n}`,
      kind: 'group',
      title,
      chatId: `wr${randomBytes(6).toString('hex')}`,
      members: DEFAULT_MEMBERS.map((m) => ({ ...m })),
      webhookKey: this.#rt.fake.newKey(),
    };
    this.#conversations.push(conv);
    this.#changed();
    return conv;
  }

  #single(userId: string): WebConversation {
    const id = `single:${userId}`;
    const existing = this.#conversations.find((c) => c.id === id);
    if (existing) return existing;
    if (!this.bot.robots.includes('aibot')) throw new Error('this bot has no AI bot robot: no single chat');
    const who = { userId, name: this.#nameOf(userId) };
    const conv: WebConversation = { id, kind: 'single', title: `${who.name} ↔ 智能机器人`, chatId: '', members: [who] };
    this.#conversations.push(conv);
    this.#changed();
    return conv;
  }

  async #inject(robot: Robot, kind: InjectKind): Promise<void> {
    const fake = this.#rt.fake;
    const endpoint = robot === 'group' ? 'send' : 'aibot_response';
    if (kind === '45009') fake.failNext(45009, 1, { endpoint });
    else if (kind === '93000') fake.failNext(93000, 1, { endpoint });
    else if (kind === 'slow') fake.failNext('slow', 1, { endpoint, delayMs: 3000 });
    this.#pending.set(robot, [...(this.#pending.get(robot) ?? []), kind]);
    this.#changed();
  }

  async #command(line: string, conversationId: string | undefined): Promise<void> {
    if (conversationId) this.#ctx = { ...this.#ctx, conversationId };
    const [, name = '', args = ''] = /^\/(\S+)\s*([\s\S]*)$/.exec(line.trim()) ?? [];
    const command = this.#rt.commands.find((c) => c.name === name);
    const ex = this.#newExchange(`command ${line.trim()}`, this.#ctx.conversationId, this.#ctx.robot);
    if (!command) {
      ex.errors.push(`unknown command /${name}`);
      return;
    }
    await this.#within(ex, async () => command.run(args.trim(), this));
  }

  // ── exchanges ───────────────────────────────────────────────────────────────────────────

  #newExchange(title: string, conversationId: string | undefined, robot: Robot | undefined): WebExchange {
    const ex: WebExchange = {
      id: newId('x'),
      at: Date.now(),
      title,
      ackBudgetMs: this.bot.options.ackBudgetMs,
      outbound: [],
      errors: [],
      notes: [],
      ...(robot ? { robot } : {}),
      ...(conversationId ? { conversationId } : {}),
    };
    this.#exchanges.push(ex);
    if (this.#produced) this.#exchangeLines.set(ex.id, this.#produced);
    if (this.#exchanges.length > MAX_EXCHANGES) this.#exchanges.splice(0, this.#exchanges.length - MAX_EXCHANGES);
    this.#changed();
    return ex;
  }

  /** Runs `work` with `ex` as the exchange log lines go to; a throw is kept as its error. */
  async #within<T>(ex: WebExchange, work: () => Promise<T>): Promise<T> {
    const outer = this.#current;
    this.#current = ex;
    try {
      return await work();
    } catch (err) {
      ex.errors.push(err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      this.#current = outer;
      this.#drain();
      this.#changed();
    }
  }

  /** Sends one callback, shows the passive reply and records the exchange. */
  async #exchange(title: string, conv: WebConversation, robot: Robot, send: () => Promise<Exchange>): Promise<void> {
    const group = await this.#group(conv, robot);
    const ex = this.#newExchange(title, conv.id, robot);
    const retries = this.#takeRetry(robot);
    const started = performance.now();
    // The response code is known as soon as the callback is answered, before the drain at the
    // end of #within reads what the handler sent through it.
    const result = await this.#within(ex, () =>
      send().then((r) => {
        this.#responseCodes.set(`resp-${r.msgId}`, ex.id);
        return r;
      }),
    );
    ex.ms = Math.round(performance.now() - started);
    ex.request = describeRequest(result.request, group.signer.crypto);
    ex.response = describeResponse(result.response, result.reply?.plaintext);
    if (result.status !== 200) ex.errors.push(`the callback answered HTTP ${result.status}: ${result.response.body.trim().slice(0, 300)}`);
    if (result.reply) this.#passive(conv, robot, ex, result.reply.plaintext, group);
    for (let i = 0; i < retries; i++) {
      // WeCom retries a callback it got no answer to, with the same body: the bot must de-duplicate.
      const t = performance.now();
      const again = await group.send(result.request, result.msgId);
      ex.retries = [...(ex.retries ?? []), { status: again.status, body: again.response.body, ms: Math.round(performance.now() - t) }];
    }
    this.#changed();
  }

  async #corpExchange(title: string, conv: WebConversation, send: () => Promise<CorpExchange>): Promise<void> {
    const ex = this.#newExchange(title, conv.id, undefined);
    const started = performance.now();
    const result = await this.#within(ex, send);
    ex.ms = Math.round(performance.now() - started);
    ex.request = {
      method: result.request.method,
      url: `${result.request.path}?${result.request.rawQuery}`,
      headers: {},
      body: Buffer.from(result.request.body).toString('utf8'),
    };
    ex.response = describeResponse(result.response, undefined);
    if (result.status !== 200) ex.errors.push(`the corp callback answered HTTP ${result.status}: ${result.body.trim()}`);
  }

  #takeRetry(robot: Robot): number {
    const pending = this.#pending.get(robot) ?? [];
    const i = pending.indexOf('retry3');
    if (i < 0) return 0;
    pending.splice(i, 1);
    return 3;
  }

  /** A decrypted passive reply: a new message, a stream to follow, or a card update in place. */
  #passive(conv: WebConversation, robot: Robot, ex: WebExchange, plaintext: string, group: TestGroup): void {
    let body: Record<string, unknown>;
    try {
      body = replyBody(plaintext);
    } catch (err) {
      ex.errors.push(`the passive reply is not readable: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (body.response_type === 'update_template_card') return this.#updateCard(conv, body, ex);
    const stream =
      body.msgtype === 'stream' || body.msgtype === 'stream_with_template_card'
        ? (body.stream as { id?: string; finish?: boolean } | undefined)
        : undefined;
    const message = this.#addMessage(
      {
        conversationId: conv.id,
        sender: 'bot',
        from: robot,
        fromName: robot === 'group' ? '群机器人' : '智能机器人',
        robot,
        kind: String(body.msgtype ?? ''),
        body,
        channel: 'passive',
        exchangeId: ex.id,
        ...(visibleToOf(body) ? { visibleTo: visibleToOf(body)! } : {}),
        ...(stream?.id ? { streamId: stream.id, finished: stream.finish === true } : {}),
        ...(cardOf(body) ? { taskId: String(cardOf(body)!.task_id ?? '') } : {}),
      },
      !stream || stream.finish === true,
    );
    if (stream?.id && stream.finish !== true) this.#follow(message, group, ex);
  }

  /** As WeCom does, asks for the rest of an AI bot stream until it is finished; the message updates in place. */
  #follow(message: WebMessage, group: TestGroup, ex: WebExchange): void {
    // The stream's final text counts for the step that asked, even if it finishes later.
    const target = this.#exchangeLines.get(ex.id) ?? this.#produced;
    const run = (async () => {
      for (let i = 0; i < 240 && !message.finished; i++) {
        await sleep(250);
        const refresh = await group.refresh(message.streamId!).catch((err: unknown) => {
          ex.errors.push(`stream refresh failed: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        });
        if (!refresh?.reply) continue;
        const body = replyBody(refresh.reply.plaintext);
        message.body = body;
        message.finished = (body.stream as { finish?: boolean } | undefined)?.finish === true;
        this.#changed();
      }
      this.#produce(message, target);
    })();
    const tracked = run.finally(() => this.#streams.delete(tracked));
    this.#streams.add(tracked);
  }

  #updateCard(conv: WebConversation, body: Record<string, unknown>, ex: WebExchange, into?: string[]): void {
    const card = cardOf(body) ?? {};
    const taskId = String(card.task_id ?? '');
    const target = [...this.#messages]
      .reverse()
      .find((m) => m.conversationId === conv.id && m.taskId !== undefined && (taskId === '' || m.taskId === taskId));
    if (!target) {
      ex.errors.push(`update_template_card for task ${taskId || '(none)'}: no card with that task_id in this chat`);
      return;
    }
    const only = Array.isArray(body.userids) ? body.userids.map(String) : [];
    if (only.length) {
      // WeCom replaces the card for these members only; the others keep the card they had.
      target.cardFor = { ...target.cardFor, ...Object.fromEntries(only.map((id) => [id, card])) };
    } else {
      target.body = { ...target.body, template_card: card };
      target.updated = true;
      delete target.cardFor;
    }
    (into ?? this.#exchangeLines.get(ex.id) ?? this.#produced)?.push(summaryOf(body));
    this.#changed();
  }

  // ── what the bot sent to the fake WeCom ─────────────────────────────────────────────────

  /**
   * Reads the requests the fake logged since last time, in order. The fake logs a request when
   * it arrives and fills in its answer later (a slow answer, an upload): reading stops at the
   * first one not answered yet and picks it up on a later drain, so that a slow push is shown
   * when it is accepted instead of being taken for an "HTTP 0" failure.
   */
  #drain(): void {
    const received = this.#rt.fake.received;
    const start = this.#seen;
    while (this.#seen < received.length) {
      const r = received[this.#seen]!;
      if (unanswered(r) && Date.now() - r.at < UNANSWERED_GIVE_UP_MS) break;
      this.#seen++;
      this.#outbound(r);
    }
    if (this.#seen > start) this.#changed();
  }

  #outbound(r: ReceivedRequest): void {
    const code = r.query.response_code;
    const aibot = r.endpoint === 'aibot_response';
    // A response_url post made while the handler runs comes before the callback is answered,
    // so before its response code is known: it belongs to the AI bot exchange running then.
    const running = this.#current?.robot === 'aibot' && this.#current.conversationId ? this.#current : undefined;
    const byCode = aibot ? (this.#exchanges.find((x) => x.id === this.#responseCodes.get(code ?? '')) ?? running) : undefined;
    const conv = aibot
      ? this.#conversations.find((c) => c.id === byCode?.conversationId)
      : this.#conversations.find((c) => c.webhookKey !== undefined && c.webhookKey === r.key);
    const ex =
      byCode ??
      this.#current ??
      [...this.#exchanges].reverse().find((x) => conv === undefined || x.conversationId === conv.id || x.conversationId === undefined);
    const errcode = r.outcome.errcode;
    ex?.outbound.push({
      seq: r.seq,
      at: r.at,
      endpoint: r.endpoint,
      ...(r.key ? { key: r.key } : {}),
      body: r.body === undefined ? `(${r.bytes} bytes)` : JSON.stringify(r.body, null, 2),
      status: r.outcome.status,
      ...(errcode !== undefined ? { errcode } : {}),
      ...(r.outcome.errmsg ? { errmsg: r.outcome.errmsg } : {}),
      ...(r.outcome.injected !== undefined ? { injected: String(r.outcome.injected) } : {}),
    });
    if (r.outcome.injected !== undefined)
      this.#consumeInjection(r.endpoint === 'aibot_response' ? 'aibot' : 'group', String(r.outcome.injected));
    const waitKey = r.key ?? `aibot:${code}`;
    if (errcode === 45009) {
      this.#waiting.set(waitKey, { until: r.at + CLIENT_WINDOW_WAIT_MS, reason: '45009: the client waits one window, then sends again' });
      ex?.notes.push(
        `45009 (rate limit${r.outcome.injected !== undefined ? ', injected' : ''}): the client waits ${CLIENT_WINDOW_WAIT_MS / 1000} s, then sends again`,
      );
    } else if (r.outcome.status !== 200 || (errcode !== undefined && errcode !== 0)) {
      ex?.errors.push(
        `${r.endpoint} answered ${r.outcome.status === 200 ? `errcode ${errcode}` : `HTTP ${r.outcome.status}`}${r.outcome.errmsg ? `: ${r.outcome.errmsg}` : ''}`,
      );
    }
    const accepted = r.outcome.status === 200 && (errcode ?? 0) === 0 && !r.outcome.dropped && !r.outcome.abandoned;
    if (!accepted || (r.endpoint !== 'send' && r.endpoint !== 'aibot_response') || !conv) return;
    this.#waiting.delete(waitKey);
    const body = (r.body ?? {}) as Record<string, unknown>;
    const robot: Robot = r.endpoint === 'send' ? 'group' : 'aibot';
    // A late send (after a 45009 window) counts for the step whose exchange caused it.
    const target = (ex && this.#exchangeLines.get(ex.id)) ?? this.#produced;
    if (body.response_type === 'update_template_card')
      return this.#updateCard(conv, body, ex ?? this.#newExchange('card update', conv.id, robot), target);
    const visibleTo = visibleToOf(body);
    this.#addMessage(
      {
        conversationId: conv.id,
        sender: 'bot',
        from: robot,
        fromName: robot === 'group' ? '群机器人' : '智能机器人',
        robot,
        kind: String(body.msgtype ?? ''),
        body,
        channel: r.endpoint === 'send' ? 'webhook' : 'response_url',
        ...(ex ? { exchangeId: ex.id } : {}),
        ...(visibleTo ? { visibleTo } : {}),
        ...(cardOf(body) ? { taskId: String(cardOf(body)!.task_id ?? '') } : {}),
      },
      true,
      target,
    );
  }

  readonly #exchangeLines = new Map<string, string[]>();

  #consumeInjection(robot: Robot, injected: string): void {
    const kind = injected === 'slow' ? 'slow' : injected;
    const pending = this.#pending.get(robot) ?? [];
    const i = pending.indexOf(kind as InjectKind);
    if (i >= 0) pending.splice(i, 1);
  }

  // ── the model ───────────────────────────────────────────────────────────────────────────

  #addMessage(m: Omit<WebMessage, 'id' | 'at'>, produce: boolean, target?: string[]): WebMessage {
    const message: WebMessage = { id: newId('m'), at: Date.now(), ...m };
    if (message.conversationId.startsWith('single:') && !message.visibleTo)
      message.visibleTo = [message.conversationId.slice('single:'.length)];
    this.#messages.push(message);
    if (this.#messages.length > MAX_MESSAGES) this.#messages.splice(0, this.#messages.length - MAX_MESSAGES);
    if (produce) this.#produce(message, target);
    this.#changed();
    return message;
  }

  /** Adds a bot message's summary to the expectations of the step that caused it. */
  #produce(message: WebMessage, target?: string[]): void {
    if (message.sender !== 'bot') return;
    (target ?? this.#produced)?.push(summaryOf(message.body));
  }

  #sees(userId: string, m: WebMessage): boolean {
    return !m.visibleTo || m.visibleTo.includes(userId);
  }

  #conv(id: string): WebConversation {
    const conv = this.#conversations.find((c) => c.id === id);
    if (!conv) throw new Error(`no chat ${id}`);
    return conv;
  }

  #nameOf(userId: string): string {
    for (const c of this.#conversations) for (const m of c.members) if (m.userId === userId) return m.name;
    return DEFAULT_MEMBERS.find((m) => m.userId === userId)?.name ?? userId;
  }

  #ensureIn(conv: WebConversation, who: WebMember): void {
    if (conv.kind === 'group' && !conv.members.some((m) => m.userId === who.userId)) conv.members.push({ ...who });
  }

  #ensureMember(step: TranscriptStep, as: WebMember): void {
    if (step.type === 'single' || !('conversationId' in step) || !step.conversationId) return;
    const conv = this.#conversations.find((c) => c.id === step.conversationId);
    if (conv) this.#ensureIn(conv, as);
  }

  /** The fake group (one per chat and robot), made on first use with the chat's ids. */
  async #group(conv: WebConversation, robot: Robot): Promise<TestGroup> {
    if (!this.bot.robots.includes(robot)) throw new Error(`this bot has no ${robot} robot`);
    const key = `${conv.id}:${robot}`;
    const known = this.#groups.get(key);
    if (known) return known;
    const fake = this.#rt.fake;
    const webhookUrl = conv.webhookKey ? fake.webhookUrl(conv.webhookKey) : this.#rt.webhookUrl;
    const group = await createTestGroup(this.bot, {
      robot,
      fake,
      url: this.#rt.server.url,
      webhookUrl,
      chatType: conv.kind,
      chatName: conv.title,
      ...(conv.chatId ? { chatId: conv.chatId } : {}),
    });
    for (const m of conv.members) group.member(m.userId, { name: m.name });
    this.#groups.set(key, group);
    return group;
  }

  #robotStatus(now: number): WebRobotStatus[] {
    const windowMs = LIMITS.windowMs;
    const out: WebRobotStatus[] = [];
    const count = (match: (r: ReceivedRequest) => boolean) => {
      const times = this.#rt.fake.received
        .filter((r) => match(r) && r.outcome.status === 200 && (r.outcome.errcode ?? 0) === 0 && r.at > now - windowMs)
        .map((r) => r.at);
      return { sentInWindow: times.length, windowResetMs: times.length ? Math.max(0, times[0]! + windowMs - now) : 0 };
    };
    for (const conv of this.#conversations) {
      if (conv.kind !== 'group' || !conv.webhookKey || !this.bot.robots.includes('group')) continue;
      const key = conv.webhookKey;
      const waiting = this.#waiting.get(key);
      out.push({
        robot: 'group',
        key,
        ...count((r) => r.endpoint === 'send' && r.key === key),
        limit: LIMITS.messagesPerWindow,
        windowMs,
        pending: [...(this.#pending.get('group') ?? [])],
        ...(waiting && waiting.until > now ? { waiting } : {}),
      });
    }
    if (this.bot.robots.includes('aibot')) {
      const waiting = [...this.#waiting.entries()].find(([k, w]) => k.startsWith('aibot:') && w.until > now)?.[1];
      out.push({
        robot: 'aibot',
        ...count((r) => r.endpoint === 'aibot_response'),
        limit: LIMITS.messagesPerWindow,
        windowMs,
        pending: [...(this.#pending.get('aibot') ?? [])],
        ...(waiting ? { waiting } : {}),
      });
    }
    return out;
  }

  // ── queue, persistence ──────────────────────────────────────────────────────────────────

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      this.#busy++;
      this.#changed();
      try {
        return await work();
      } finally {
        this.#busy--;
        this.#changed();
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reset(): Promise<void> {
    await this.settle();
    this.#groups.clear();
    this.#pending.clear();
    this.#waiting.clear();
    this.#defaults();
    this.#changed();
  }

  #defaults(): void {
    const key = new URL(this.#rt.webhookUrl).searchParams.get('key') ?? this.#rt.fake.newKey();
    this.#conversations = [
      {
        id: 'g1',
        kind: 'group',
        title: '产品体验群',
        chatId: `wr${randomBytes(6).toString('hex')}`,
        members: DEFAULT_MEMBERS.map((m) => ({ ...m })),
        webhookKey: key,
      },
    ];
    this.#viewer = DEFAULT_VIEWER;
    this.#messages = [];
    this.#exchanges = [];
    this.#transcript = [];
    this.#ctx = { conversationId: 'g1', robot: this.bot.robots.includes('group') ? 'group' : 'aibot' };
  }

  async #load(): Promise<void> {
    this.#defaults();
    const raw = await this.#store.get(STATE_KEY).catch(() => undefined);
    if (!raw) return;
    try {
      const saved = JSON.parse(raw) as Saved;
      if (!Array.isArray(saved.conversations) || saved.conversations.length === 0) return;
      this.#conversations = saved.conversations;
      // The first group's robot pushes to this run's webhook (jobs too): keep the pushes in it.
      const g1 = this.#conversations.find((c) => c.id === 'g1');
      if (g1) g1.webhookKey = new URL(this.#rt.webhookUrl).searchParams.get('key') ?? g1.webhookKey;
      this.#viewer = saved.viewer ?? DEFAULT_VIEWER;
      this.#messages = saved.messages ?? [];
      this.#exchanges = saved.exchanges ?? [];
      this.#transcript = saved.transcript ?? [];
    } catch {
      // A session saved by another version: start afresh rather than fail the page.
    }
  }

  async #save(): Promise<void> {
    const saved: Saved = {
      conversations: this.#conversations,
      viewer: this.#viewer,
      messages: this.#messages,
      exchanges: this.#exchanges.slice(-50),
      transcript: this.#transcript,
    };
    await this.#store.set(STATE_KEY, JSON.stringify(saved));
  }

  #changed(): void {
    for (const l of this.#listeners) l();
    if (this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.#save().catch(() => undefined);
    }, 300);
  }
}

/** The fake logged the request but has not answered it yet (not dropped, not given up on). */
function unanswered(r: ReceivedRequest): boolean {
  return r.outcome.status === 0 && !r.outcome.dropped && !r.outcome.abandoned;
}

function firstQuestion(body: Record<string, unknown>): string | undefined {
  const card = cardOf(body) as { checkbox?: { question_key?: string }; select_list?: { question_key?: string }[] } | undefined;
  return card?.checkbox?.question_key ?? card?.select_list?.[0]?.question_key;
}
