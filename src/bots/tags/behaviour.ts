/**
 * Behaviour rules: a domain event of another module (src/bot/events.ts) tags its subject —
 * "signed up for activity A1" → 读书会, "claimed a coupon" → 领券, "asked FAQ entry 12" → 问过价格,
 * "lead from tencent" → 广告线索. The subject is the payload's externalUserId, else its userId;
 * an event without either (a lead known only by phone) tags no one.
 */
import type { Logger } from 'pino';
import type { DomainEvent, ModuleEvents } from '../../bot/events.js';
import type { TagBook } from './book.js';
import type { BehaviourRule } from './config.js';

/** True when every `where` field of the rule matches the payload (one of its values). */
export function ruleMatches(rule: BehaviourRule, payload: Record<string, unknown>): boolean {
  return Object.entries(rule.where).every(([field, values]) => {
    const v = payload[field];
    return (typeof v === 'string' || typeof v === 'number') && values.includes(String(v));
  });
}

export function subjectOf(payload: Record<string, unknown>): string | undefined {
  for (const key of ['externalUserId', 'userId']) {
    const v = payload[key];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

/** Subscribes each rule; a listener failure is logged by the bus, and the emitter goes on. */
export function listenForBehaviour(events: ModuleEvents, rules: readonly BehaviourRule[], book: TagBook, log: Logger): void {
  const byEvent = new Map<string, BehaviourRule[]>();
  for (const rule of rules) byEvent.set(rule.on, [...(byEvent.get(rule.on) ?? []), rule]);
  for (const [type, list] of byEvent) {
    events.on(type, async (event: DomainEvent) => {
      const payload = (event.payload ?? {}) as Record<string, unknown>;
      const subject = subjectOf(payload);
      if (!subject) return void log.debug({ event: type }, 'tags: event names no member or customer; no tag given');
      for (const rule of list) {
        if (!ruleMatches(rule, payload)) continue;
        const added = await book.add(subject, rule.tags, { actor: `rule:${rule.name}`, via: 'behaviour' });
        if (added.length) log.info({ rule: rule.name, event: type, subject, tags: added }, 'tags: behaviour rule tagged');
      }
    });
  }
}
