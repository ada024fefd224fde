/**
 * `wecombot/ws`: run a bot over the smart robot's WebSocket long connection. No public URL,
 * no Token or EncodingAESKey: only the bot id and its long-connection secret.
 *
 * @example
 * import { createBot } from 'wecombot';
 * import { connectLongConnection } from 'wecombot/ws';
 * const bot = createBot();
 * bot.command('ping', (ctx) => ctx.reply('pong'));
 * const conn = await connectLongConnection(bot, { botId: process.env.WECOM_AIBOT_ID!, secret: process.env.WECOM_AIBOT_SECRET! });
 */
export * from '../ws/index.js';
