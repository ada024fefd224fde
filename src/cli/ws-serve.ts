/**
 * `wecombot serve --ws`: the configured bot over the smart robot's long connection. Only the
 * bot id and its secret are needed (WECOM_AIBOT_ID, WECOM_AIBOT_SECRET): no public URL, no
 * Token or EncodingAESKey. A wrong secret fails at start, once; a kick-out by another process
 * of the same bot ends this one with exit code 0 (so `Restart=on-failure` supervisors do not
 * start a fight over the bot), naming the winner.
 */
import { createBotFromConfig } from '../config/create.js';
import { loadConfig } from '../config/load.js';
import { WecombotError } from '../errors.js';
import { connectLongConnection } from '../runtime/ws.js';
import { onStopSignal } from './interrupt.js';

export const WS_ENV = Object.freeze({ botId: 'WECOM_AIBOT_ID', secret: 'WECOM_AIBOT_SECRET', url: 'WECOM_AIBOT_WS_URL' });

export async function serveLongConnectionCommand(o: { config?: string; jobs: boolean }): Promise<void> {
  const botId = process.env[WS_ENV.botId]?.trim();
  const secret = process.env[WS_ENV.secret]?.trim();
  const missing = [!botId && WS_ENV.botId, !secret && WS_ENV.secret].filter(Boolean);
  if (missing.length > 0) {
    throw new WecombotError('cli_usage', `serve --ws needs ${missing.join(' and ')}`, {
      hint: "the BotID and the long-connection Secret are on the smart robot's API page (接收消息 → 长连接)",
    });
  }
  const { config, path } = await loadConfig({ path: o.config });
  const bot = await createBotFromConfig(config, { runtime: 'node' });
  let conn;
  try {
    conn = await connectLongConnection(bot, { botId: botId!, secret: secret!, url: process.env[WS_ENV.url] || undefined });
  } catch (err) {
    await bot.close();
    throw err;
  }
  if (o.jobs) await bot.startJobs();
  bot.log.info({ botId, config: path ?? null, modules: bot.modules }, `wecombot connected over the long connection as bot ${botId}`);
  const reason = await new Promise<string>((resolve) => {
    const off = onStopSignal(() => {
      bot.log.info('shutting down: finishing in-flight replies');
      void conn.close().then(() => (off(), resolve('stopped')));
    });
    void conn.ended.then((r) => {
      off();
      resolve(r);
    });
  });
  await bot.close();
  if (reason === 'kicked')
    process.stderr.write(
      `wecombot: bot ${botId} was taken over by a newer connection (the other process won); exiting without reconnecting\n`,
    );
}
