import { afterEach, describe, expect, it } from 'vitest';
import { WS_CMD } from '../../src/runtime/ws.js';
import { cleanup, setup } from './helpers.js';

afterEach(cleanup);

describe('long connection: replies', () => {
  it('answers a text message through the same router, echoing the req_id, as a finished stream', async () => {
    const { fake, bot } = await setup();
    bot.command('ping', (ctx) => ctx.reply(`pong ${ctx.from.userId} ${ctx.robot}`));
    const { reqId } = fake.text('alice', '/ping');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    const [frame] = fake.repliesTo(reqId);
    expect(frame?.cmd).toBe(WS_CMD.respondMsg);
    expect(frame?.errcode).toBe(0);
    const body = frame?.body as { msgtype: string; stream: { id: string; finish: boolean; content: string } };
    expect(body.msgtype).toBe('stream');
    expect(body.stream).toMatchObject({ finish: true, content: 'pong alice aibot' });
    expect(fake.violations).toEqual([]);
  });

  it('ctx.stream() works unchanged: every snapshot on one req_id and stream id, the last one finished', async () => {
    const { fake, bot } = await setup();
    bot.on('text', async (ctx) => {
      const s = ctx.stream('thinking…');
      await s.update('part 1');
      await s.update('part 1 part 2');
      await s.finish('part 1 part 2 done');
    });
    const { reqId } = fake.text('bob', 'tell me');
    await fake.waitFor(() => fake.repliesTo(reqId).some((f) => (f.body.stream as { finish?: boolean } | undefined)?.finish === true));
    const frames = fake.repliesTo(reqId);
    const ids = new Set(frames.map((f) => (f.body.stream as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(frames.every((f) => f.cmd === WS_CMD.respondMsg && f.errcode === 0)).toBe(true);
    expect(fake.streamText([...ids][0]!)).toEqual({ content: 'part 1 part 2 done', finish: true });
    // Coalesced: never more frames than snapshots, the first one always.
    expect((frames[0]?.body.stream as { content: string }).content).toBe('thinking…');
    expect(frames.length).toBeLessThanOrEqual(4);
  });

  it('a stream left open by the handler is finished when it returns', async () => {
    const { fake, bot } = await setup();
    bot.on('text', (ctx) => {
      ctx.stream('half an answer');
    });
    const { reqId } = fake.text('bob', 'x');
    await fake.waitFor(() => fake.repliesTo(reqId).some((f) => (f.body.stream as { finish?: boolean }).finish === true));
  });

  it('answers enter_chat with the welcome command, within its window', async () => {
    const { fake, bot } = await setup();
    bot.on('event:enter_chat', (ctx) => ctx.reply('欢迎！'));
    const { reqId } = fake.enterChat('carol');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    expect(fake.repliesTo(reqId)[0]).toMatchObject({
      cmd: WS_CMD.respondWelcome,
      errcode: 0,
      body: { msgtype: 'text', text: { content: '欢迎！' } },
    });
  });

  it('sends a card, and updates it after a click with aibot_respond_update_msg (bot.action)', async () => {
    const { fake, bot } = await setup();
    const card = {
      card_type: 'button_interaction' as const,
      main_title: { title: 'CPU alarm' },
      button_list: [{ text: 'Ack', style: 1 as const, key: 'alarm:ack' }],
      task_id: 'alarm-42',
    };
    bot.command('alarm', (ctx) => ctx.reply({ card }));
    bot.on('event:template_card_event', async (ctx) => {
      await ctx.updateCard({ ...card, main_title: { title: 'CPU alarm (acked)' } }, { userIds: [ctx.from.userId] });
    });
    const sent = fake.text('dave', '/alarm');
    await fake.waitFor(() => fake.repliesTo(sent.reqId).length === 1);
    expect(fake.repliesTo(sent.reqId)[0]).toMatchObject({ cmd: WS_CMD.respondMsg, errcode: 0, body: { msgtype: 'template_card' } });
    const click = fake.cardClick('dave', { taskId: 'alarm-42', eventKey: 'alarm:ack' });
    await fake.waitFor(() => fake.repliesTo(click.reqId).length === 1);
    expect(fake.repliesTo(click.reqId)[0]).toMatchObject({
      cmd: WS_CMD.respondUpdate,
      errcode: 0,
      body: { response_type: 'update_template_card', userids: ['dave'], template_card: { task_id: 'alarm-42' } },
    });
    expect(fake.violations).toEqual([]);
  });

  it('a reply to a card click is a new message (aibot_send_msg) into the conversation', async () => {
    const { fake, bot } = await setup();
    bot.on('event:template_card_event', (ctx) => ctx.reply('收到点击'));
    fake.cardClick('erin', { taskId: 't-1', eventKey: 'k', chatId: 'group-1' });
    await fake.waitFor(() => fake.frames.some((f) => f.cmd === WS_CMD.sendMsg));
    expect(fake.frames.find((f) => f.cmd === WS_CMD.sendMsg)?.body).toMatchObject({
      chatid: 'group-1',
      msgtype: 'markdown',
      markdown: { content: '收到点击' },
    });
  });

  it('846605 on a reply falls back to a new message', async () => {
    const { fake, bot, logs } = await setup();
    bot.on('text', (ctx) => ctx.reply('late answer'));
    fake.failNext(WS_CMD.respondMsg, 846605, 'invalid req_id');
    fake.text('frank', 'q');
    await fake.waitFor(() => fake.frames.some((f) => f.cmd === WS_CMD.sendMsg && f.errcode === 0));
    expect(fake.frames.find((f) => f.cmd === WS_CMD.sendMsg)?.body).toMatchObject({
      chatid: 'frank',
      markdown: { content: 'late answer' },
    });
    expect(logs.raw.join('')).toContain('846605');
  });

  it('a stream that expired (846608, real lifetime of the fake) sends its final text as a new message', async () => {
    const { fake, bot } = await setup({ fake: { streamLifetimeMs: 150 } });
    bot.on('text', async (ctx) => {
      const s = ctx.stream('working');
      await new Promise((r) => setTimeout(r, 250));
      await s.update('still working');
      await new Promise((r) => setTimeout(r, 50));
      await s.finish('the full answer');
    });
    const { reqId } = fake.text('gina', 'long question');
    await fake.waitFor(() => fake.frames.some((f) => f.cmd === WS_CMD.sendMsg), 5000, 'the fallback message');
    expect(fake.repliesTo(reqId).some((f) => f.errcode === 846608)).toBe(true);
    expect(fake.frames.find((f) => f.cmd === WS_CMD.sendMsg)?.body).toMatchObject({
      chatid: 'gina',
      markdown: { content: 'the full answer' },
    });
  });

  it('a frame delivered twice is handled once, through the store', async () => {
    const { fake, bot, conn } = await setup();
    let calls = 0;
    bot.on('text', (ctx) => {
      calls++;
      return ctx.reply('once');
    });
    fake.duplicateNext();
    fake.text('hank', 'hello');
    await fake.waitFor(() => conn.stats.duplicates === 1 && conn.stats.handled === 1);
    expect(calls).toBe(1);
    expect(fake.frames.filter((f) => f.cmd === WS_CMD.respondMsg)).toHaveLength(1);
  });

  it('ctx.push sends a new message; handle.sendMessage too', async () => {
    const { fake, bot, conn } = await setup();
    bot.on('text', (ctx) => ctx.push({ markdown: '**pushed**' }));
    fake.text('ivy', 'x', { chatId: 'g-2' });
    await fake.waitFor(() => fake.frames.some((f) => f.cmd === WS_CMD.sendMsg));
    await conn.sendMessage('ivy', '主动消息');
    const sends = fake.frames.filter((f) => f.cmd === WS_CMD.sendMsg);
    expect(sends.map((f) => f.body)).toEqual([
      { chatid: 'g-2', msgtype: 'markdown', markdown: { content: '**pushed**' } },
      { chatid: 'ivy', msgtype: 'markdown', markdown: { content: '主动消息' } },
    ]);
  });
});
