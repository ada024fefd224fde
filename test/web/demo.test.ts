/**
 * The demo bots (no config: what `npm start` runs) in the web emulator's engine, as the page
 * drives it: the module demos run to their end, and the bots answer each other's leftovers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebEmulator, type WebEmulator } from '../../src/cli/dev/web/start.js';
import type { WebMessage } from '../../src/cli/dev/web/model.js';

describe('the demo in wecombot dev --web', () => {
  let dir: string;
  let emulator: WebEmulator;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wecombot-web-demo-'));
    emulator = await startWebEmulator({ cwd: dir, env: {}, print: () => {}, offlineWeather: true });
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const chat = () => emulator.chat;
  const errors = () =>
    chat()
      .state()
      .exchanges.flatMap((x) => x.errors.map((e) => `${x.title}: ${e}`));
  const texts = (messages: WebMessage[]) => messages.map((m) => JSON.stringify(m.body));
  async function fresh() {
    await chat().act({ type: 'reset' });
    expect(chat().state().messages).toEqual([]);
  }
  /** Plays a module's demo command in the first group from a fresh session: the bot's messages. */
  async function playDemo(line: string): Promise<string[]> {
    await fresh();
    await chat().act({ type: 'command', line, conversationId: 'g1' });
    await chat().settle();
    expect(errors()).toEqual([]);
    return texts(
      chat()
        .state()
        .messages.filter((m) => m.sender === 'bot'),
    );
  }

  it('plays /signup-demo to its end: the waitlist offers are clicked', async () => {
    const bot = await playDemo('/signup-demo');
    expect(bot.some((t) => t.includes('已确认！你将参加'))).toBe(true); // wangwu clicked 确认参加
    expect(bot.some((t) => t.includes('已取消「周六读书会（演示）」的候补名额'))).toBe(true); // zhaoliu declined
    expect(bot.at(-1)).toContain('名单');
  }, 60_000);

  it('lets kb-search answer what the FAQ cannot: no handoff after two questions, and in the AI bot single chat', async () => {
    await fresh();
    const botSaid = () =>
      texts(
        chat()
          .state()
          .messages.filter((m) => m.sender === 'bot'),
      );
    for (const text of ['如何部署到 SCF', '怎么配置 Redis', '如何部署到 SCF']) {
      await chat().act({ type: 'say', conversationId: 'g1', robot: 'group', text });
      await chat().settle();
    }
    expect(botSaid().filter((t) => t.includes('🔍')).length).toBe(3); // kb-search's answers
    expect(botSaid().join('\n')).not.toContain('人工客服');
    await chat().act({ type: 'single', userId: 'you' });
    await chat().act({ type: 'say', conversationId: 'single:you', robot: 'aibot', text: '如何部署到 SCF' });
    await chat().settle();
    const single = texts(
      chat()
        .state()
        .messages.filter((m) => m.conversationId === 'single:you' && m.sender === 'bot'),
    );
    expect(single.join('\n')).toContain('🔍 如何部署到 SCF');
    expect(single.join('\n')).not.toContain('抱歉');
    expect(errors()).toEqual([]);
  }, 60_000);

  it("welcomes a customer added to the first group (corp group:join into the welcome bot's group)", async () => {
    await fresh();
    await chat().act({ type: 'join', conversationId: 'g1', userId: 'wmNewcomer1', name: '新同事' });
    await chat().settle();
    const welcome = chat()
      .state()
      .messages.filter((m) => m.conversationId === 'g1' && m.sender === 'bot')
      .map((m) => m.body as { text?: { content?: string; mentioned_list?: string[] } });
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.text?.content).toContain('欢迎');
    expect(welcome[0]!.text?.mentioned_list).toEqual(['wmNewcomer1']);
    expect(errors()).toEqual([]);
  }, 60_000);

  it('plays /leads-demo to its end: the claim button of the pushed lead is clicked', async () => {
    const bot = await playDemo('/leads-demo');
    expect(bot.some((t) => t.includes('已由 李四 认领'))).toBe(true);
  }, 60_000);
});
