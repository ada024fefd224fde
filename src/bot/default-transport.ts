/**
 * The default transport: the WebhookClient (limiter, retries, durable outbox when the store
 * is durable; GetChatInfoUrl calls too), loaded on first use. A bot that only answers passively never loads the client
 * or its HTTP stack, which keeps FaaS cold starts short.
 */
import type { Logger } from 'pino';
import type { WebhookMessage } from '../protocol/message/types.js';
import type { Store } from '../store/store.js';
import type { WebhookClient } from '../client/webhook-client.js';
import { chatDetailsOf, postJson, type BotTransport } from './transport.js';

/** A transport created on first `get()`. */
export interface LazyTransport {
  get(): BotTransport;
  flush(): Promise<void>;
  close(): Promise<void>;
}

class ClientTransport implements BotTransport {
  #client: Promise<WebhookClient>;
  #inflight = new Set<Promise<unknown>>();

  constructor(store: () => Promise<Store>, log: Logger) {
    this.#client = (async () => {
      const [{ WebhookClient }, s] = await Promise.all([import('../client/webhook-client.js'), store()]);
      // The outbox needs tables; an in-memory store's tables die with the process anyway.
      return new WebhookClient({ store: s, outbox: s.driver !== 'memory', logger: log.child({ component: 'webhook' }) });
    })();
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p)).catch(() => undefined);
    return p;
  }

  sendWebhook(webhookUrl: string, message: WebhookMessage): Promise<void> {
    // `chatid` stays in the message: the client checks it there, next to the visible_to_user
    // and post_id that need it.
    return this.#track(
      (async () => {
        const client = await this.#client;
        await client.sendOrThrow({ webhook: webhookUrl }, message);
      })(),
    );
  }

  async getChatInfo(url: string) {
    const client = await this.#client;
    return chatDetailsOf(await client.getChatInfo(url));
  }

  postResponseUrl(url: string, body: Record<string, unknown>) {
    return this.#track(postJson(url, body));
  }

  async flush(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  async close(): Promise<void> {
    await this.flush();
    await (await this.#client).close();
  }
}

export function createDefaultTransport(store: () => Promise<Store>, log: Logger): LazyTransport {
  let transport: ClientTransport | undefined;
  return {
    get: () => (transport ??= new ClientTransport(store, log)),
    flush: async () => transport?.flush(),
    close: async () => transport?.close(),
  };
}
