/**
 * Button clicks of both robot kinds as one typed value, `ActionClick`, and the matcher behind
 * `bot.action(...)`. Pure: no I/O, no context class.
 *
 * Which wire field is the button id the router matches:
 * - **Classic group robot** (markdown `attachments`, protocol §2.5–2.6): the clicked action's
 *   `name`. It is set per button (≤ 64 bytes) and echoed back in `attachment.actions[]`.
 *   `callbackid` cannot be the id: it belongs to the whole attachment, so every button of one
 *   message shares it. `value` (≤ 128 bytes, also echoed) is the button's payload.
 * - **AI bot** (`template_card_event`, doc 101027): `event_key`, the `key` of the clicked
 *   button, of the submit button (vote, multiple selection), or of the action-menu entry
 *   (≤ 1024 bytes, unique within a card). `task_id` cannot be the id: it names one sent card
 *   and must be unique per bot, so it changes with every card; it rides along as `taskId`
 *   (`ctx.updateCard` needs it). An AI bot button has no value; selections are `selected`.
 *
 * Button ids carry the namespace of the module that owns them, `<namespace>:<id>`
 * (`signup:join`), so two modules never answer each other's buttons.
 */
import type { AibotSelectedItem, CallbackMessage } from '../protocol/callback/types.js';
import { LIMITS } from '../protocol/limits.js';
import { MessageValidationError } from '../protocol/message/errors.js';
import { utf8ByteLength } from '../protocol/text/utf8.js';

/** The callbacks a click arrives as (whatever wire format carried them). */
export type GroupClickCallback = Extract<CallbackMessage, { robot: 'group'; type: 'attachment' }>;
export type AibotClickCallback = Extract<CallbackMessage, { robot: 'aibot'; eventType: 'template_card_event' }>;

/** A markdown button of the classic group robot was clicked. */
export interface GroupClick {
  robot: 'group';
  /** The button id: the clicked action's `name`. */
  id: string;
  /** The action's `value`; absent when the button was sent without one (see `buttonsAttachment`). */
  value?: string;
  /** `attachment.callbackid`: the `callback_id` of the attachment the button was in. */
  callbackId: string;
  taskId?: undefined;
  cardType?: undefined;
  selected?: undefined;
  raw: GroupClickCallback;
}

/** A template card of an AI bot was clicked: a button, a submit button or a menu entry. */
export interface AibotClick {
  robot: 'aibot';
  /** The button id: `event_key`. */
  id: string;
  value?: undefined;
  callbackId?: undefined;
  /** `task_id` of the clicked card: `ctx.updateCard` replaces that card. */
  taskId: string;
  /** `card_type` of the clicked card. */
  cardType: string;
  /** What the user picked in a vote, selection or dropdown (empty for a plain button). */
  selected: AibotSelectedItem[];
  raw: AibotClickCallback;
}

/** A typed button click of either robot kind. Branch on `robot` for the kind's own fields. */
export type ActionClick = GroupClick | AibotClick;

/** What `action` routes accept: exact ids and/or regular expressions. */
export type ActionTrigger = string | RegExp | readonly (string | RegExp)[];

/** What `ctx.match` holds for a trigger: the id without namespace (string), or the RegExp match. */
export type ActionMatch<T extends ActionTrigger> = T extends readonly (infer E)[] ? MatchOf<E> : MatchOf<T>;
type MatchOf<T> = T extends string ? string : T extends RegExp ? RegExpMatchArray : never;

/** The context inside an `action` route: the click is there, and what matched. */
export type ActionContext<C, T extends ActionTrigger = ActionTrigger> = C & { action: ActionClick; match: ActionMatch<T> };

/** The least a context offers to `matchAction`. */
export interface ActionTarget {
  readonly message: CallbackMessage;
  action?: ActionClick | undefined;
  match: unknown;
}

/** `<namespace>:<id>`: the separator between a module's namespace and its own button id. */
export const BUTTON_ID_SEPARATOR = ':';

/**
 * The click a callback carries, or undefined when it is not a click.
 *
 * @example
 * const click = actionOf(ctx.message);
 * if (click?.robot === 'aibot') log.info({ task: click.taskId, picked: click.selected });
 */
export function actionOf(message: CallbackMessage): ActionClick | undefined {
  if (message.robot === 'group') {
    if (message.type !== 'attachment') return undefined;
    // WeCom reports the clicked button as the one action of the callback.
    const action = message.actions[0];
    if (!action) return undefined;
    const click: GroupClick = { robot: 'group', id: action.name, callbackId: message.callbackId, raw: message };
    // A button sent without a value carries its id as value (WeCom needs one): report none.
    if (action.value !== '' && action.value !== action.name) click.value = action.value;
    return click;
  }
  if (message.type !== 'event' || message.eventType !== 'template_card_event') return undefined;
  return {
    robot: 'aibot',
    id: message.eventKey,
    taskId: message.taskId,
    cardType: message.cardType,
    selected: message.selectedItems,
    raw: message,
  };
}

/**
 * True when the callback is a click whose button id matches `trigger`; then sets `ctx.action`
 * (the click) and `ctx.match`: for a string trigger the id without its namespace, for a
 * RegExp its match array. With `namespace`, only ids `<namespace>:…` match, and triggers are
 * compared with the rest of the id.
 *
 * @example
 * bot.filter((ctx) => matchAction(ctx, 'signup:join'), (ctx) => ctx.reply(`已报名 ${ctx.match}`)); // match 'join'
 * matchAction(ctx, /^vote:(\d+)$/, 'poll'); // id 'poll:vote:3' → ctx.match[1] === '3'
 */
export function matchAction<C extends ActionTarget, T extends ActionTrigger>(
  ctx: C,
  trigger: T,
  namespace?: string,
): ctx is ActionContext<C, T> {
  const click = actionOf(ctx.message);
  if (!click) return false;
  let subject = click.id;
  if (namespace !== undefined) {
    checkNamespace(namespace);
    const prefix = `${namespace}${BUTTON_ID_SEPARATOR}`;
    if (!subject.startsWith(prefix)) return false;
    subject = subject.slice(prefix.length);
  }
  const triggers: readonly (string | RegExp)[] = Array.isArray(trigger) ? trigger : [trigger as string | RegExp];
  for (const one of triggers) {
    let match: string | RegExpMatchArray | null;
    if (typeof one === 'string') {
      // Without a namespace the trigger is the full id; the match is still the module's own part.
      match = subject === one ? (namespace === undefined ? splitButtonId(subject).id : subject) : null;
    } else {
      // A global or sticky RegExp keeps lastIndex between calls; reset so every click is fresh.
      one.lastIndex = 0;
      match = one.exec(subject);
    }
    if (match !== null) {
      ctx.action = click;
      ctx.match = match;
      return true;
    }
  }
  return false;
}

/**
 * The id of a module's button: `<namespace>:<id>`. Checked against the AI bot's key limit
 * (1024 bytes); a classic robot's button name holds 64 bytes, checked when the buttons are sent.
 *
 * @example buttonId('signup', 'join') // 'signup:join'
 * @throws MessageValidationError for an empty or malformed namespace or id, or one too long.
 */
export function buttonId(namespace: string, id: string): string {
  checkNamespace(namespace);
  if (typeof id !== 'string' || id === '') throw invalidId('button id', 'the button id must not be empty');
  const full = `${namespace}${BUTTON_ID_SEPARATOR}${id}`;
  assertButtonIdFits(full, 'aibot');
  return full;
}

/**
 * Splits a button id into its namespace and the module's own id, at the first `:`.
 *
 * @example splitButtonId('signup:join:42') // { namespace: 'signup', id: 'join:42' }
 * @example splitButtonId('ok') // { namespace: undefined, id: 'ok' }
 */
export function splitButtonId(id: string): { namespace: string | undefined; id: string } {
  const at = id.indexOf(BUTTON_ID_SEPARATOR);
  if (at <= 0) return { namespace: undefined, id };
  return { namespace: id.slice(0, at), id: id.slice(at + 1) };
}

/**
 * Refuses a button id too long for the robot: a classic button `name` holds 64 bytes, an AI bot
 * `key` 1024 (UTF-8). `field` names it in the message.
 * @throws MessageValidationError
 */
export function assertButtonIdFits(id: string, robot: 'group' | 'aibot', field = 'button id'): void {
  const limit = robot === 'group' ? LIMITS.actionNameBytes : LIMITS.templateEventKeyBytes;
  const bytes = utf8ByteLength(id);
  if (bytes <= limit) return;
  const what = robot === 'group' ? "a classic robot's button name" : "an AI bot card's key";
  throw new MessageValidationError([
    {
      path: field,
      code: 'message_too_long',
      message: `${field} ${JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)} is ${bytes} bytes; ${what} holds at most ${limit} UTF-8 bytes`,
    },
  ]);
}

function checkNamespace(namespace: string): void {
  // The namespace ends at the first separator, so it cannot contain one; spaces would not survive a copy from a log.
  if (typeof namespace !== 'string' || !/^[^\s:]+$/u.test(namespace)) {
    throw invalidId(
      'button namespace',
      `the button namespace ${JSON.stringify(namespace)} must be non-empty, without spaces or "${BUTTON_ID_SEPARATOR}" (use the module's name)`,
    );
  }
}

function invalidId(path: string, message: string): MessageValidationError {
  return new MessageValidationError([{ path, code: 'message_invalid_value', message }]);
}
