/**
 * `wecombot dev --ws`: the terminal chat over the fake long connection (wecombot/testing). The
 * configured bot (or the demo, without a config) connects to a loopback fake of WeCom's
 * long-connection server exactly as `serve --ws` connects to WeCom; each line you type is a text
 * message from you, and every frame the bot sends back is printed as the client would show it.
 */
import { createInterface } from 'node:readline';
import { createBotFromConfig } from '../../config/create.js';
import { loadConfig } from '../../config/load.js';
import { connectLongConnection } from '../../runtime/ws.js';
import { startFakeLongConnection } from '../../testing/fake-ws/index.js';
import type { RecordedFrame } from '../../testing/fake-ws/types.js';

const BOT_ID = 'dev-ws-bot';
const SECRET = 'dev-ws-secret';

/** How a frame looks in the chat, or undefined for frames that show nothing (intermediate stream frames). */
export function renderFrame(f: RecordedFrame): string | undefined {
  const b = f.body as Record<string, unknown>;
  if (f.errcode !== 0) return `  [${f.cmd} refused: errcode ${f.errcode}]`;
  const stream = b.stream as { content?: string; finish?: boolean } | undefined;
  if (stream) return stream.finish ? `bot> ${stream.content ?? ''}` : undefined;
  const card = (b.template_card as { main_title?: { title?: string }; card_type?: string } | undefined) ?? undefined;
  if (card) return `bot> [card ${card.card_type ?? ''}] ${card.main_title?.title ?? ''}`;
  const md = (b.markdown as { content?: string } | undefined)?.content ?? (b.text as { content?: string } | undefined)?.content;
  if (md !== undefined) return `bot> ${md}`;
  if (typeof b.msgtype === 'string') return `bot> [${b.msgtype}]`;
  return undefined;
}

export async function runWsEmulator(o: { configPath?: string; lines?: string[] }): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let settle: (() => void) | undefined;
  const fake = await startFakeLongConnection({
    bots: { [BOT_ID]: SECRET },
    onFrame: (f) => {
      const line = renderFrame(f);
      if (line !== undefined) out(line);
      if (line !== undefined) settle?.();
    },
  });
  const { config } = await loadConfig({ path: o.configPath });
  const bot = await createBotFromConfig(config, { runtime: 'node' });
  const conn = await connectLongConnection(bot, { botId: BOT_ID, secret: SECRET, url: fake.url });
  out(`long connection to the fake server ${fake.url} (bot ${BOT_ID}); type a message, /enter for enter_chat, /quit to leave`);
  const send = async (line: string) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return true;
    if (text === '/quit') return false;
    const answered = new Promise<void>((resolve) => {
      settle = resolve;
      setTimeout(resolve, 5000).unref();
    });
    if (text === '/enter') fake.enterChat('you');
    else fake.text('you', text);
    await answered;
    // Let further frames of the same answer arrive before the next line.
    await new Promise((r) => setTimeout(r, 150));
    return true;
  };
  try {
    if (o.lines) {
      for (const line of o.lines) if (!(await send(line))) break;
    } else {
      const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
      rl.prompt();
      for await (const line of rl) {
        if (!(await send(line))) break;
        rl.prompt();
      }
      rl.close();
    }
  } finally {
    await conn.close();
    await bot.close();
    await fake.close();
  }
}
