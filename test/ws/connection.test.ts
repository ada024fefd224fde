import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { connectLongConnection, downloadMedia, WS_CMD, WsError } from '../../src/runtime/ws.js';
import { startFakeLongConnection } from '../../src/testing/index.js';
import { captureLogger } from '../bot/helpers.js';
import { BOT_ID, cleanup, SECRET, setup, track } from './helpers.js';

afterEach(cleanup);

const finished = (f: { body: Record<string, unknown> }) => (f.body.stream as { finish?: boolean } | undefined)?.finish === true;

describe('long connection: connection', () => {
  it('subscribes with bot id and secret, and heartbeats', async () => {
    const { fake, conn } = await setup({ conn: { heartbeatMs: 50 } });
    expect(conn.state).toBe('ready');
    expect(fake.subscribes.get(BOT_ID)).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(conn.stats.missedHeartbeats).toBe(0);
    expect(conn.state).toBe('ready');
  });

  it('a wrong secret fails at start naming WECOM_AIBOT_SECRET, with no retry loop', async () => {
    const fake = await startFakeLongConnection({ bots: { [BOT_ID]: SECRET } });
    track(() => fake.close());
    const logs = captureLogger();
    const bot = createBot({ logger: logs.logger });
    track(() => bot.close());
    const err = await connectLongConnection(bot, {
      botId: BOT_ID,
      secret: 'wrong-secret-123',
      url: fake.url,
      backoff: { initialMs: 10 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WsError);
    expect((err as WsError).code).toBe('ws_auth_failed');
    expect((err as WsError).message).toContain('WECOM_AIBOT_SECRET');
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.subscribes.get(BOT_ID)).toBe(1);
    expect(logs.raw.join('')).not.toContain('wrong-secret-123');
  });

  it('refuses bad options with the field named', async () => {
    const bot = createBot({ logger: captureLogger().logger });
    track(() => bot.close());
    await expect(connectLongConnection(bot, { botId: '', secret: 's' })).rejects.toThrow(/botId/);
    await expect(connectLongConnection(bot, { botId: 'b', secret: ' ' })).rejects.toThrow(/secret/);
    await expect(connectLongConnection(bot, { botId: 'b', secret: 's', url: 'http://x' })).rejects.toThrow(/url/);
    await expect(connectLongConnection(bot, { botId: 'b', secret: 's', heartbeatMs: -1 })).rejects.toThrow(/heartbeatMs/);
  });

  it('a frame whose ack never comes fails with ws_ack_timeout; later frames, and replies of the same req_id, still go out', async () => {
    const { fake, bot, conn } = await setup({ conn: { ackTimeoutMs: 150 } });
    fake.withholdAckNext(WS_CMD.sendMsg);
    await expect(conn.sendMessage('ivy', 'lost')).rejects.toMatchObject({ code: 'ws_ack_timeout', cmd: WS_CMD.sendMsg });
    await conn.sendMessage('ivy', 'after the timeout');
    expect(fake.frames.filter((f) => f.cmd === WS_CMD.sendMsg)).toHaveLength(2);
    // Two replies on one req_id: the first loses its ack, the second still goes out after it.
    const outcomes: string[] = [];
    bot.on('text', async (ctx) => {
      const s = ctx.stream('first');
      await s.update('first, second').then(
        () => outcomes.push('update ok'),
        (e: WsError) => outcomes.push(e.code),
      );
      await s.finish('done');
      outcomes.push('finished');
    });
    fake.withholdAckNext(WS_CMD.respondMsg);
    const { reqId } = fake.text('ivy', 'stream please');
    await fake.waitFor(() => outcomes.includes('finished'), 5000, 'the stream to finish');
    expect(fake.repliesTo(reqId).some(finished)).toBe(true);
    expect(conn.state).toBe('ready');
  });

  it('reconnects after a drop and handles the next message', async () => {
    const { fake, bot, conn } = await setup();
    bot.on('text', (ctx) => ctx.reply('pong'));
    fake.drop();
    const { reqId } = fake.text('alice', 'after the drop');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    expect(conn.stats.drops).toBe(1);
    expect(conn.stats.subscriptions).toBe(2);
  });

  it('a missing heartbeat ack drops the socket and reconnects; a slow one within the timeout does not', async () => {
    // The slow ack (60 ms) is well inside the timeout (500 ms): a loaded CI machine's stalls must not make it "missing".
    const { fake, conn } = await setup({ conn: { heartbeatMs: 40, heartbeatTimeoutMs: 500 }, fake: { slowHeartbeatMs: 60 } });
    fake.heartbeat('slow');
    await new Promise((r) => setTimeout(r, 400));
    expect(conn.stats.missedHeartbeats).toBe(0);
    fake.heartbeat('missing');
    await fake.waitFor(() => conn.stats.missedHeartbeats >= 1, 3000, 'a missed heartbeat');
    fake.heartbeat('normal');
    await fake.waitFor(() => conn.state === 'ready' && conn.stats.subscriptions >= 2, 3000, 'the reconnect');
  });

  it('a reconnect during a stream: the rest of the stream goes out on the new socket, same req_id and stream id', async () => {
    const { fake, bot, conn } = await setup();
    let resume!: () => void;
    const gate = new Promise<void>((r) => (resume = r));
    bot.on('text', async (ctx) => {
      const s = ctx.stream('part 1');
      await gate;
      await s.update('part 1 part 2');
      await s.finish('part 1 part 2 end');
    });
    const { reqId } = fake.text('bob', 'long');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    fake.drop();
    resume();
    await fake.waitFor(() => fake.repliesTo(reqId).some(finished), 5000, 'the final frame');
    const frames = fake.repliesTo(reqId);
    expect(new Set(frames.map((f) => f.conn)).size).toBe(2);
    const ids = new Set(frames.map((f) => (f.body.stream as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(fake.streamText([...ids][0]!)).toEqual({ content: 'part 1 part 2 end', finish: true });
    expect(conn.stats.drops).toBe(1);
  });

  it('frames delivered twice across a reconnect are handled once', async () => {
    const { fake, bot, conn } = await setup();
    let calls = 0;
    bot.on('text', (ctx) => {
      calls++;
      return ctx.reply('once');
    });
    const first = fake.text('carol', 'hi', { msgId: 'msg-dup-1' });
    await fake.waitFor(() => fake.repliesTo(first.reqId).length === 1);
    fake.drop();
    fake.text('carol', 'hi', { msgId: 'msg-dup-1' });
    await fake.waitFor(() => conn.stats.duplicates === 1, 3000);
    expect(calls).toBe(1);
  });

  it('kick-out: yields to the newer connection, says so, and does not reconnect', async () => {
    const { fake, conn, logs, bot } = await setup();
    fake.kickOut();
    expect(await conn.ended).toBe('kicked');
    expect(conn.state).toBe('kicked');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.subscribes.get(BOT_ID)).toBe(1);
    const line = logs.lines.find((l) => String(l.msg).includes('taken over'));
    expect(String(line?.msg)).toMatch(/other side won because it connected last/);
    await expect(conn.sendMessage('x', 'y')).rejects.toMatchObject({ code: 'ws_kicked_out' });
    void bot;
  });

  it('846609 (not subscribed) on a reply: reconnects and resends once', async () => {
    const { fake, bot, conn } = await setup();
    bot.on('text', (ctx) => ctx.reply('pong'));
    fake.failNext(WS_CMD.respondMsg, 846609, 'aibot websocket not subscribed');
    const { reqId } = fake.text('dan', 'x');
    await fake.waitFor(() => fake.repliesTo(reqId).some((f) => f.errcode === 0), 3000);
    expect(conn.stats.subscriptions).toBe(2);
  });

  it('graceful shutdown finishes in-flight replies first', async () => {
    const { fake, bot, conn } = await setup();
    bot.on('text', async (ctx) => {
      await new Promise((r) => setTimeout(r, 200));
      await ctx.reply('finished before the close');
    });
    const { reqId } = fake.text('erin', 'slow');
    await fake.waitFor(() => conn.stats.inFlight === 1);
    await conn.close();
    expect(fake.repliesTo(reqId)).toHaveLength(1);
    expect(fake.repliesTo(reqId)[0]?.errcode).toBe(0);
    expect(conn.state).toBe('closed');
  });
});

describe('long connection: bad input', () => {
  it('malformed, unknown and oversized frames are logged and skipped; the connection stays up', async () => {
    const { fake, bot, conn, logs } = await setup({ conn: { maxFrameBytes: 4096 } });
    bot.on('text', (ctx) => ctx.reply('still here'));
    fake.sendRaw('{not json');
    fake.sendRaw('[1,2]');
    fake.sendRaw(JSON.stringify({ cmd: 'aibot_msg_callback' }));
    fake.sendRaw(JSON.stringify({ cmd: 'aibot_future_cmd', headers: { req_id: 'r1' }, body: {} }));
    fake.sendRaw(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: 'r2' }, body: { msgtype: 'text' } }));
    fake.sendRaw(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: 'r3' }, body: { text: 'x'.repeat(5000) } }));
    const { reqId } = fake.text('fay', 'ok?');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    expect(conn.stats.skipped).toBe(4);
    expect(conn.stats.drops).toBe(0);
    const text = logs.raw.join('');
    expect(text).toContain('unknown command skipped');
    expect(text).toContain('does not parse');
    expect(text).toContain('too_large');
  });

  it('the secret and the per-message keys never appear in logs', async () => {
    const { fake, bot, logs } = await setup({ conn: { heartbeatMs: 30 } });
    const image = Buffer.from('PNG-bytes-of-a-test-image-'.repeat(50));
    let got: Buffer | undefined;
    bot.on('image', async (ctx) => {
      got = await downloadMedia(ctx.message);
      ctx.log.info({ message: ctx.message }, 'image received');
      await ctx.reply('saved');
    });
    const sent = fake.image('gus', image);
    await fake.waitFor(() => fake.repliesTo(sent.reqId).length === 1);
    expect(got?.equals(image)).toBe(true);
    fake.drop();
    await new Promise((r) => setTimeout(r, 200));
    const all = logs.raw.join('');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(sent.aeskey);
  });
});

describe('long connection: media', () => {
  it('decrypts an inbound image with its per-message key', async () => {
    const { fake, bot } = await setup();
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    let digest = '';
    bot.on('image', async (ctx) => {
      digest = createHash('md5')
        .update(await downloadMedia(ctx.message))
        .digest('hex');
    });
    fake.image('hal', data);
    await fake.waitFor(() => digest !== '');
    expect(digest).toBe(createHash('md5').update(data).digest('hex'));
  });

  it('uploads through the chunked upload (2 MB → 4 chunks) and replies with the media_id', async () => {
    const { fake, bot, conn } = await setup();
    const data = Buffer.alloc(2 * 1024 * 1024 + 10, 7);
    const up = await conn.uploadMedia(data, { type: 'file', filename: 'report.pdf' });
    expect(fake.frames.filter((f) => f.cmd === WS_CMD.uploadChunk)).toHaveLength(5);
    expect(fake.media.get(up.mediaId)?.data.equals(data)).toBe(true);
    bot.on('text', (ctx) =>
      ctx.reply({ msgtype: 'image', image: { base64: data.subarray(0, 1000).toString('base64'), md5: 'x'.repeat(32) } }),
    );
    const { reqId } = fake.text('ian', 'send me the picture');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    const body = fake.repliesTo(reqId)[0]?.body as { msgtype: string; image: { media_id: string } };
    expect(body.msgtype).toBe('image');
    expect(fake.media.get(body.image.media_id)?.data.length).toBe(1000);
    expect(fake.violations).toEqual([]);
  });

  it('refuses an upload over 100 chunks before sending anything', async () => {
    const { conn, fake } = await setup();
    await expect(conn.uploadMedia(Buffer.alloc(100 * 512 * 1024 + 1), { type: 'file', filename: 'big.bin' })).rejects.toMatchObject({
      code: 'ws_media',
    });
    expect(fake.frames).toHaveLength(0);
  });
});
