/**
 * `ctx.corp`: the corp API client of the configured app, made on first use and shared by every
 * callback of the bot, with the access token in the bot's store (so every instance sharing the
 * store shares one token). The client's module is loaded only when a corp Secret is configured,
 * so robot-only bundles never load it.
 */
import type { Logger } from 'pino';
import type { CorpClient } from '../../corp/client.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { BotConfigError } from '../errors.js';
import type { ResolvedCorpAppOptions } from './options.js';

/** The bot's handle on its corp client. */
export interface CorpAccess {
  /** The client (created on the first call). */
  client(): CorpClient;
  /** Closes the client's connections, if it was ever created. */
  close(): Promise<void>;
}

/**
 * Loads the client module when the app has a Secret; without one, `client()` refuses with a
 * hint (events are still received: the Secret is only needed to call the API).
 */
export async function openCorpAccess(
  options: ResolvedCorpAppOptions | undefined,
  store: Store,
  log: Logger,
  clock: Clock,
): Promise<CorpAccess> {
  const secret = options?.secret;
  if (!options || !secret) {
    const what = options ? 'the corp app has no Secret' : 'no corp app is configured';
    return {
      client() {
        throw new BotConfigError(`ctx.corp needs the corp API, but ${what}`, {
          hint: 'set WECOM_CORP_ID and WECOM_CORP_SECRET (createBot({ corp: { corpId, secret, … } })): the Secret is under 应用管理 → the self-built app',
        });
      },
      close: async () => undefined,
    };
  }
  const { createCorpClient } = await import('../../corp/client.js');
  let client: CorpClient | undefined;
  return {
    client: () =>
      (client ??= createCorpClient({
        corpId: options.corpId,
        secret,
        store,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        logger: log.child({ component: 'corp' }),
        // The bot's time, so retries of a WelcomeCode stop where the bot thinks its 20 s end.
        clock: { now: () => clock.now() },
      })),
    close: async () => client?.close(),
  };
}
