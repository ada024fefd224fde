/**
 * What the bot keeps for its corp app once it answers: the corp client access and, with
 * `corp.identity`, the identity tables (migrated once per store).
 */
import type { Logger } from 'pino';
import type { Identities } from '../../identity/identities.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { openCorpAccess, type CorpAccess } from './access.js';
import type { ResolvedCorpAppOptions } from './options.js';

export interface CorpServices {
  access: CorpAccess;
  identities: Identities | undefined;
}

/** Opens the corp services; a failing identity migration is logged and leaves identity off. */
export async function openCorpServices(
  options: ResolvedCorpAppOptions | undefined,
  store: Store,
  log: Logger,
  clock: Clock,
): Promise<CorpServices> {
  const access = await openCorpAccess(options, store, log, clock);
  let identities: Identities | undefined;
  if (options?.identity) {
    try {
      const { openIdentities } = await import('../../identity/identities.js');
      identities = await openIdentities(store, { now: () => clock.now() });
    } catch (err) {
      log.error({ err }, 'identity tables could not be opened: corp events are handled without identities');
    }
  }
  return { access, identities };
}
