/**
 * Repeat-welcome suppression: one welcome per (customer, chat) within `suppressFor`. The mark
 * is taken with the store's set-if-absent before the welcome goes out, so of two instances
 * (or a duplicate event) exactly one welcomes; a welcome that could not be delivered gives
 * the mark back, so the next trigger may try again.
 */
import type { ModuleKv } from '../../bot/module.js';

/** Where a member was greeted: a customer group or robot chat, or a private channel. */
export type ChatKey = `group:${string}` | `staff:${string}` | `single:${string}`;

export class Greetings {
  constructor(
    private readonly kv: ModuleKv,
    private readonly ttlMs: number,
  ) {}

  #key(customer: string, chat: ChatKey): string {
    return `greeted:${chat.length}:${chat}:${customer}`;
  }

  /** True when this caller may welcome `customer` in `chat` (nobody did within the period). */
  claim(customer: string, chat: ChatKey): Promise<boolean> {
    return this.kv.setIfAbsent(this.#key(customer, chat), String(Date.now()), { ttlMs: this.ttlMs });
  }

  /** Gives the mark back after a welcome that did not reach the member. */
  async release(customer: string, chat: ChatKey): Promise<void> {
    await this.kv.delete(this.#key(customer, chat));
  }
}
