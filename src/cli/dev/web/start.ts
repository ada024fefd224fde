/**
 * `wecombot dev --web`: the shared dev runtime (fakes, store, the bot behind the callback
 * server), the web chat engine around it, and the page's server on loopback.
 */
import { startDevRuntime, type DevSessionOptions } from '../session.js';
import { startWebServer } from './server.js';
import { WebChat } from './web-chat.js';

export interface WebEmulator {
  /** The page's address (http://127.0.0.1:PORT/). */
  readonly url: string;
  readonly chat: WebChat;
  close(): Promise<void>;
}

export async function startWebEmulator(options: DevSessionOptions & { webPort?: number } = {}): Promise<WebEmulator> {
  const out = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  let chat: WebChat | undefined;
  // The bot's log goes to the terminal and to the inspector entry it belongs to.
  const print = (line: string) => {
    out(line);
    chat?.log(line);
  };
  const rt = await startDevRuntime({ ...options, print });
  try {
    chat = await WebChat.start(rt);
    const web = await startWebServer(chat, { port: options.webPort ?? 0 });
    const running = chat;
    out(`wecombot dev --web — ${rt.real ? 'REAL WeCom mode' : 'local emulator'}: ${rt.storeLabel}, callback server ${rt.server.url}`);
    for (const line of rt.banner) out(line);
    out(`open ${web.url}`);
    return {
      url: web.url,
      chat: running,
      async close() {
        await web.close();
        await running.close();
        for (const stop of rt.stops) await stop();
      },
    };
  } catch (err) {
    for (const stop of rt.stops) await stop().catch(() => {});
    throw err;
  }
}
