/**
 * What the web emulator's server tells the page, and what the page asks of it. Types only:
 * the browser bundle imports them too (esbuild drops type imports), so server and page agree.
 */

export type Robot = 'group' | 'aibot';

export interface WebMember {
  userId: string;
  name: string;
}

/** A chat: a group (both robots may be @-mentioned there) or one member's single chat with the AI bot. */
export interface WebConversation {
  id: string;
  kind: 'group' | 'single';
  title: string;
  /** WeCom's chat id (`wr…`) the callbacks carry. */
  chatId: string;
  /** Members of a group; for a single chat, its one member. */
  members: WebMember[];
  /** The webhook key the classic robot's callbacks carry for this group (its pushes land there). */
  webhookKey?: string;
}

/** A button of a message, as the page draws it and sends it back when clicked. */
export type WebButton =
  | { robot: 'group'; label: string; callbackId: string; name: string; value: string }
  | { robot: 'aibot'; label: string; taskId: string; key: string; cardType: string; style?: number };

export interface WebMessage {
  id: string;
  conversationId: string;
  /** `member` (someone typed), `bot` (a reply or push), `system` (joins, notes). */
  sender: 'member' | 'bot' | 'system';
  /** The member who typed it, or the robot that sent it. */
  from: string;
  fromName: string;
  robot?: Robot;
  /** Epoch ms. */
  at: number;
  /** `text`, `markdown`, `markdown_v2`, `template_card`, `stream`, `image`, `news`, `file`, `voice`, … */
  kind: string;
  /** The wire body of the message (the JSON the bot sent, normalised from XML for classic replies). */
  body: Record<string, unknown>;
  /** How it reached the chat: `passive`, `webhook`, `response_url`, `typed`. */
  channel: string;
  /** Only these members see it (visible_to_user, or a single chat); absent: everyone in the chat. */
  visibleTo?: string[];
  /** Stream replies are updated in place while unfinished. */
  streamId?: string;
  finished?: boolean;
  /** Card replies are updated in place by update_template_card (AI bot). */
  taskId?: string;
  /** The inspector entry that produced it. */
  exchangeId?: string;
  /** The last state a card update set: `updated` marks it in the page. */
  updated?: boolean;
  /** Cards replaced for some members only (update_template_card with `userids`), by userid. */
  cardFor?: Record<string, Record<string, unknown>>;
}

/** One HTTP call in the inspector, with its decoded form. */
export interface WebHttp {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Decrypted plaintext (callback or reply), when the body is an encrypted envelope. */
  plaintext?: string;
  /** The parsed plaintext, pretty-printed. */
  parsed?: string;
  status?: number;
}

/** A call the bot made to the fake WeCom (a push, a response_url post), with the fake's verdict. */
export interface WebOutbound {
  seq: number;
  at: number;
  endpoint: string;
  key?: string;
  body: string;
  status: number;
  errcode?: number;
  errmsg?: string;
  injected?: string;
}

export interface WebExchange {
  id: string;
  at: number;
  /** What triggered it: "alice says ping", "click 报名", "job notifier". */
  title: string;
  robot?: Robot;
  conversationId?: string;
  request?: WebHttp;
  response?: WebHttp;
  /** Time until the passive answer, against the bot's ack budget and WeCom's 5 s. */
  ms?: number;
  ackBudgetMs: number;
  /** Retries WeCom sent (triple-retry injection), each answer's status and body. */
  retries?: { status: number; body: string; ms: number }[];
  outbound: WebOutbound[];
  /** Errors: a failed HTTP answer, a bot crash, a command's failure. */
  errors: string[];
  /** Log lines (the bot's logger, command output) while it ran. */
  notes: string[];
}

export interface WebRobotStatus {
  robot: Robot;
  /** Webhook key (classic robot) the counter is about. */
  key?: string;
  /** Messages the fake accepted from this robot in the current window. */
  sentInWindow: number;
  limit: number;
  windowMs: number;
  /** Ms until the oldest counted message leaves the window. */
  windowResetMs: number;
  /** Injections waiting for the next call. */
  pending: string[];
  /** Retries of a 45009 the client is waiting out, with when it is due (epoch ms). */
  waiting?: { until: number; reason: string };
}

export interface WebCommand {
  name: string;
  usage?: string;
  description: string;
}

export interface WebJob {
  name: string;
  schedule: string;
  next?: string;
}

export interface WebState {
  mode: 'fake' | 'real';
  source: 'config' | 'demo';
  robots: Robot[];
  modules: string[];
  banner: string[];
  conversations: WebConversation[];
  /** The member the page acts as. */
  viewer: WebMember;
  messages: WebMessage[];
  exchanges: WebExchange[];
  robotStatus: WebRobotStatus[];
  commands: WebCommand[];
  jobs: WebJob[];
  /** Something is running (a callback, a command): the page shows it. */
  busy: boolean;
}

/** What the page asks the server to do (POST /api/action). */
export type WebAction =
  | { type: 'say'; conversationId: string; robot: Robot; text: string }
  | { type: 'click'; messageId: string; button: number; selected?: { questionKey: string; optionIds: string[] }[] }
  | { type: 'viewer'; userId: string; name?: string }
  | { type: 'join'; conversationId: string; userId: string; name?: string }
  | { type: 'leave'; conversationId: string; userId: string }
  | { type: 'addGroup'; title: string }
  | { type: 'single'; userId: string }
  | { type: 'inject'; robot: Robot; kind: InjectKind }
  | { type: 'job'; name: string }
  | { type: 'command'; line: string; conversationId?: string }
  | { type: 'reset' };

export type InjectKind = '45009' | '93000' | 'slow' | 'retry3';

/** Server-sent event payloads (GET /api/events). */
export type WebEvent = { type: 'state'; state: WebState };
