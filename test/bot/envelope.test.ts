import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/bot/clock.js';
import { ReplyEnvelope } from '../../src/bot/reply-envelope.js';

type P = { kind: 'text' | 'card'; body: string };

function envelope(budgetMs = 3000) {
  const clock = manualClock();
  const late: P[] = [];
  const env = new ReplyEnvelope<P>({
    clock,
    budgetMs,
    canBePassive: (p) => p.kind === 'text',
    sendLate: async (p) => {
      late.push(p);
      return { via: 'webhook' };
    },
  });
  return { clock, env, late };
}

describe('ReplyEnvelope', () => {
  it('the first passive-capable reply within the budget becomes the response, further ones go late', async () => {
    const { env, late } = envelope();
    expect(await env.reply({ kind: 'text', body: 'a' })).toEqual({ via: 'passive' });
    expect(await env.reply({ kind: 'text', body: 'b' })).toEqual({ via: 'webhook' });
    expect(await env.decision).toEqual({ passive: { kind: 'text', body: 'a' }, reason: 'reply' });
    expect(late).toEqual([{ kind: 'text', body: 'b' }]);
  });

  it('a reply type that cannot be passive goes late even within the budget, and the slot stays open', async () => {
    const { env, late } = envelope();
    expect(await env.reply({ kind: 'card', body: 'c' })).toEqual({ via: 'webhook' });
    expect(env.decided).toBe(false);
    expect(await env.reply({ kind: 'text', body: 't' })).toEqual({ via: 'passive' });
    expect(late).toHaveLength(1);
  });

  it('at the budget the response is decided empty; a reply after it goes late', async () => {
    const { clock, env, late } = envelope(3000);
    await clock.advance(2999);
    expect(env.decided).toBe(false);
    expect(env.deadline.remainingMs()).toBe(1);
    await clock.advance(1);
    expect(env.decided).toBe(true);
    expect(env.deadline.remainingMs()).toBe(0);
    expect(await env.decision).toEqual({ passive: undefined, reason: 'budget' });
    expect(await env.reply({ kind: 'text', body: 'late' })).toEqual({ via: 'webhook' });
    expect(late).toEqual([{ kind: 'text', body: 'late' }]);
  });

  it('close() decides an empty response and cancels the budget timer', async () => {
    const { clock, env } = envelope();
    env.close();
    expect(await env.decision).toEqual({ passive: undefined, reason: 'done' });
    expect(clock.pending()).toBe(0);
  });

  it('claimPassive takes the slot only while open', async () => {
    const { clock, env } = envelope(10);
    await clock.advance(10);
    expect(env.claimPassive({ kind: 'text', body: 'x' })).toBe(false);
  });
});
