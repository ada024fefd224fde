/**
 * `ctx.identity()` on corp customer events, when `corp.identity` is on: the customer's one
 * identity, linked from the event (a new or edited contact links the staff member to the
 * customer), made once per callback whether a handler asks for it or not.
 */
import type { Logger } from 'pino';
import type { CustomerIdentity, Identities } from '../../identity/identities.js';
import type { CorpCallback } from '../../protocol/callback/corp-types.js';

/** Change types after which the staff member has the customer. */
const LINKS = new Set(['add_external_contact', 'add_half_external_contact', 'edit_external_contact']);

/**
 * A function giving the identity of the event's customer (memoised). Customer events that add
 * or edit a contact link it; other customer events only look it up; group and tag events have
 * no customer. A store failure is logged and gives undefined: identity must never cost an event.
 */
export function linkCustomer(
  identities: Identities,
  message: CorpCallback,
  log: () => Logger,
): () => Promise<CustomerIdentity | undefined> {
  let result: Promise<CustomerIdentity | undefined> | undefined;
  return () =>
    (result ??= (async () => {
      if (message.type !== 'external_contact') return undefined;
      const { externalUserId, userId } = message;
      try {
        return LINKS.has(message.changeType)
          ? await identities.link({ externalUserId, staffUserId: userId })
          : await identities.find({ externalUserId });
      } catch (err) {
        log().error({ err }, 'customer identity could not be linked; the event is handled without it');
        return undefined;
      }
    })());
}
