/**
 * The one filter table. Each name maps to the field values a message must have; the runtime
 * check (`matchFilters`) and the narrowed type (`FilterMessage`) are both derived from this
 * table, so they cannot drift apart.
 */
import type { CallbackMessage } from '../protocol/callback/types.js';

/** Messages that reach the router (stream refreshes are answered by the core; unknown types are acked). */
export type RoutedMessage = Exclude<CallbackMessage, { type: 'unknown' } | { type: 'stream' }>;

type Spec = Readonly<Record<string, string>>;

/** Filter name → required field values (an array means "any of these"). */
export const FILTERS = {
  // user messages
  message: [{ type: 'text' }, { type: 'image' }, { type: 'mixed' }, { type: 'voice' }, { type: 'file' }],
  text: { type: 'text' },
  image: { type: 'image' },
  mixed: { type: 'mixed' },
  voice: { type: 'voice' },
  file: { type: 'file' },
  attachment: { type: 'attachment' },
  // events
  event: { type: 'event' },
  'event:add_to_chat': { type: 'event', eventType: 'add_to_chat' },
  'event:delete_from_chat': { type: 'event', eventType: 'delete_from_chat' },
  'event:enter_chat': { type: 'event', eventType: 'enter_chat' },
  'event:template_card_event': { type: 'event', eventType: 'template_card_event' },
  'event:feedback_event': { type: 'event', eventType: 'feedback_event' },
  // which robot and which chat
  'robot:group': { robot: 'group' },
  'robot:aibot': { robot: 'aibot' },
  'chat:group': { chatType: 'group' },
  'chat:single': { chatType: 'single' },
  'chat:blackboard': [{ chatType: 'blackboard' }, { chatType: 'blackboard_reply' }],
  // corp app events (customer contact): customers (change_external_contact) …
  'customer:add': { robot: 'corp', type: 'external_contact', changeType: 'add_external_contact' },
  'customer:edit': { robot: 'corp', type: 'external_contact', changeType: 'edit_external_contact' },
  'customer:delete': { robot: 'corp', type: 'external_contact', changeType: 'del_external_contact' },
  'customer:deleted-by': { robot: 'corp', type: 'external_contact', changeType: 'del_follow_user' },
  'customer:half-add': { robot: 'corp', type: 'external_contact', changeType: 'add_half_external_contact' },
  'customer:transfer-fail': { robot: 'corp', type: 'external_contact', changeType: 'transfer_fail' },
  // … customer groups (change_external_chat; group:update is every update, joins and leaves too) …
  'group:create': { robot: 'corp', type: 'external_chat', changeType: 'create' },
  'group:join': { robot: 'corp', type: 'external_chat', changeType: 'update', updateDetail: 'add_member' },
  'group:leave': { robot: 'corp', type: 'external_chat', changeType: 'update', updateDetail: 'del_member' },
  'group:update': { robot: 'corp', type: 'external_chat', changeType: 'update' },
  'group:dismiss': { robot: 'corp', type: 'external_chat', changeType: 'dismiss' },
  // … and corp tags (change_external_tag).
  'tag:create': { robot: 'corp', type: 'external_tag', changeType: 'create' },
  'tag:update': { robot: 'corp', type: 'external_tag', changeType: 'update' },
  'tag:delete': { robot: 'corp', type: 'external_tag', changeType: 'delete' },
  'tag:shuffle': { robot: 'corp', type: 'external_tag', changeType: 'shuffle' },
  'robot:corp': { robot: 'corp' },
} as const satisfies Record<string, Spec | readonly Spec[]>;

/** Every filter name `bot.on(...)` accepts. */
export type FilterQuery = keyof typeof FILTERS;

type SpecOf<Q extends FilterQuery> = (typeof FILTERS)[Q] extends readonly (infer E)[] ? E : (typeof FILTERS)[Q];

/** True when every field of S can take the spec's value in message type M. */
type Compatible<M, S> = {
  [K in keyof S]-?: K extends keyof M ? (S[K] extends M[K] ? true : false) : false;
}[keyof S] extends true
  ? true
  : false;

type Writable<S> = { -readonly [K in keyof S]: S[K] };

/**
 * Members of M that can match spec S, with the spec's fields narrowed to its literals. Both
 * distribute: a filter with several specs (`message`) narrows to the union of each spec's match.
 */
type Narrow<M, S> = S extends unknown ? (M extends unknown ? (Compatible<M, S> extends true ? M & Writable<S> : never) : never) : never;

/** The message type a filter narrows to, e.g. `FilterMessage<'event:add_to_chat'>`. */
export type FilterMessage<Q extends FilterQuery> = Q extends FilterQuery ? Narrow<RoutedMessage, SpecOf<Q>> : never;

/** A context whose `message` is narrowed by filter Q. */
export type FilterContext<C, Q extends FilterQuery> = C & { readonly message: FilterMessage<Q> };

function matchesSpec(message: Record<string, unknown>, spec: Spec): boolean {
  for (const key in spec) if (message[key] !== spec[key]) return false;
  return true;
}

/** True when `message` matches filter `query`. */
export function matchesFilter(message: RoutedMessage, query: FilterQuery): boolean {
  const entry: Spec | readonly Spec[] | undefined = FILTERS[query];
  if (entry === undefined) throw new TypeError(`unknown filter "${String(query)}"; see FILTERS in wecombot for the list`);
  const m = message as unknown as Record<string, unknown>;
  return Array.isArray(entry) ? entry.some((s: Spec) => matchesSpec(m, s)) : matchesSpec(m, entry as Spec);
}

/** True when the context's message matches any of the filters. */
export function matchFilters(ctx: unknown, queries: readonly FilterQuery[]): boolean {
  const message = (ctx as { message: RoutedMessage }).message;
  return queries.some((q) => matchesFilter(message, q));
}

/** Checks filter names early (at registration) so a typo fails at start, not on a message. */
export function assertFilterQuery(query: string): asserts query is FilterQuery {
  if (!(query in FILTERS)) {
    throw new TypeError(`unknown filter "${query}"; valid filters: ${Object.keys(FILTERS).join(', ')}`);
  }
}
