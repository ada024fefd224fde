/**
 * Domain events between modules: one bot's modules tell each other what happened in their own
 * words ("a member signed up for activity A1", "a coupon was claimed", "a lead came in from
 * Tencent Ads") without importing each other. The `tags` bot's behaviour rules listen to them.
 *
 * In process and awaited: `emit` resolves once every listener has run, so a behaviour rule's
 * tag is written before the answer to the member goes out, and a FaaS instance is not frozen
 * with a listener half done. A listener that throws is logged and skipped: one module's
 * failure never breaks the emitter's reply or another listener. Nothing is queued or
 * persisted — an event is a notice to the modules installed on this instance, not a message
 * bus between instances (every instance runs every module, so each sees its own events).
 *
 * @example
 * // in a module's setup:
 * services.events.on('signup.joined', async (event) => {
 *   if (event.payload.activity === 'A1') await tagUser(event.payload.userId, '读书会');
 * });
 * // in another module's handler:
 * await services.events.emit('signup.joined', { activity: 'A1', userId: ctx.from.userId });
 */
import type { Logger } from 'pino';

/**
 * The events the ready-made bots emit, with their payloads. A user's module may add its own by
 * declaration merging (`declare module 'wecombot' { interface DomainEvents { 'my.event': {...} } }`);
 * any other name carries a plain object.
 */
export interface DomainEvents {
  /** A member signed up (confirmed or waitlisted) for an activity of the `signup` bot. */
  'signup.joined': { activity: string; userId: string; chatId?: string; status?: string };
  /** A customer or member was given a coupon code by the `welcome` bot. */
  'coupon.claimed': { code?: string; userId?: string; externalUserId?: string; chatId?: string };
  /** The `faq` bot answered a question with one of its entries. */
  'faq.answered': { entryId: string; userId: string; chatId?: string };
  /** The `leads` bot recorded a new lead. */
  'lead.created': {
    leadId: string;
    source: string;
    region?: string;
    product?: string;
    phone: string;
    externalUserId?: string;
  };
}

/** The payload type of an event name: declared ones are typed, others are plain objects. */
export type DomainEventPayload<K extends string> = K extends keyof DomainEvents ? DomainEvents[K] : Record<string, unknown>;

/** What a listener gets. */
export interface DomainEvent<K extends string = string> {
  readonly type: K;
  readonly payload: DomainEventPayload<K>;
  /** The module that emitted it. */
  readonly source: string;
  /** Epoch ms, from the bot's clock. */
  readonly at: number;
}

export type DomainEventListener<K extends string = string> = (event: DomainEvent<K>) => unknown;

/** What a module sees (`services.events`): emits carry the module's name as their source. */
export interface ModuleEvents {
  /** Runs every listener of `type`, one after the other, in subscription order; never rejects. */
  emit<K extends string>(type: K, payload: DomainEventPayload<K>): Promise<void>;
  /** Subscribes; returns the function that unsubscribes. `'*'` hears every event. */
  on<K extends string>(type: K, listener: DomainEventListener<K>): () => void;
}

const EVENT_NAME = /^(?:\*|[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9_-]*)+)$/;

/** The events of one bot: every module installed on it shares this bus. */
export class EventBus {
  #listeners = new Map<string, { owner: string; listener: DomainEventListener }[]>();
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(log: Logger, now: () => number = Date.now) {
    this.#log = log;
    this.#now = now;
  }

  /** The view a module gets: its emits are signed with its name, its listeners are logged under it. */
  forModule(owner: string): ModuleEvents {
    return {
      emit: (type, payload) => this.emit(owner, type, payload),
      on: (type, listener) => this.on(owner, type, listener as DomainEventListener),
    };
  }

  on(owner: string, type: string, listener: DomainEventListener): () => void {
    if (!EVENT_NAME.test(type)) {
      throw new TypeError(`event name "${type}" is invalid: use dotted lower-case words (signup.joined), or * for every event`);
    }
    const list = this.#listeners.get(type) ?? [];
    const entry = { owner, listener };
    list.push(entry);
    this.#listeners.set(type, list);
    return () => {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit(source: string, type: string, payload: unknown): Promise<void> {
    const listeners = [...(this.#listeners.get(type) ?? []), ...(type === '*' ? [] : (this.#listeners.get('*') ?? []))];
    if (listeners.length === 0) return;
    const event = Object.freeze({ type, payload, source, at: this.#now() }) as DomainEvent;
    for (const { owner, listener } of listeners) {
      try {
        await listener(event);
      } catch (err) {
        // Isolated: the emitter's work is done and answered whatever a listener does.
        this.#log.error({ err, event: type, source, listener: owner }, 'event listener failed');
      }
    }
  }

  /** How many listeners `type` has (tests, diagnostics). */
  listenerCount(type: string): number {
    return this.#listeners.get(type)?.length ?? 0;
  }
}
