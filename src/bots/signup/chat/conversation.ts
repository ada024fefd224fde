/**
 * The form conversation of one member in one chat (which field comes next, the answers so
 * far), kept as a session: held under a store lease while a message is handled, written back
 * once when the handler succeeded.
 *
 * The module holds it itself, with the framework's `holdSession`, instead of declaring
 * `session` on the module: a declared session is taken before the module's handlers run, for
 * every message that reaches them, so when the store is down the handlers never run and the
 * member gets no answer at all. Held here, only the form's own messages take the lease, and a
 * store outage reaches the handler, which says so to the member (fail closed).
 */
import { holdSession, resolveSessionOptions, sessionKey, type SessionAddress } from '../../../bot/session.js';
import type { Store } from '../../../store/store.js';

/** A form being filled in. */
export interface FormState {
  activityId: string;
  party: number;
  /** The index of the field asked now. */
  step: number;
  /** Answers so far, by field key (personal data: never logged, deleted at the end). */
  answers: Record<string, string>;
}

export interface Conversation {
  form?: FormState | undefined;
}

/** A form left alone this long is forgotten. */
const FORM_TTL_MS = 30 * 60_000;
const OPTIONS = resolveSessionOptions<Conversation>('signup.conversation', { initial: () => ({}), ttlMs: FORM_TTL_MS, waitMs: 5000 });
const OWNER = 'signup';

/** Reads the conversation without holding it: is this member filling in a form here? */
export async function peekForm(store: Store, address: SessionAddress): Promise<FormState | undefined> {
  const raw = await store.get(sessionKey(OWNER, 'user', address));
  if (raw === undefined) return undefined;
  try {
    return (JSON.parse(raw) as Conversation).form;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` with the conversation held; what it leaves in `conversation` is saved when it
 * resolves, nothing when it throws.
 *
 * @example
 * await withConversation(store, { chatId, userId }, async (c) => { c.form = { activityId: 'A1', party: 1, step: 0, answers: {} }; });
 */
export async function withConversation<T>(
  store: Store,
  address: SessionAddress,
  work: (conversation: Conversation) => Promise<T>,
): Promise<T> {
  const held = await holdSession(store, sessionKey(OWNER, 'user', address), OPTIONS);
  try {
    const result = await work(held.value);
    await held.save(held.value.form ? held.value : (undefined as unknown as Conversation));
    return result;
  } finally {
    await held.release();
  }
}
