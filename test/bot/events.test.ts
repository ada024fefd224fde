import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { EventBus, type DomainEvent } from '../../src/bot/events.js';
import { defineBotModule } from '../../src/bot/module.js';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

function captureLog(): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

describe('domain events between modules', () => {
  it('a module hears what another module emits, awaited before the emitter answers', async () => {
    const heard: DomainEvent[] = [];
    const listener = defineBotModule({
      name: 'listener',
      setup(_m, _o, services) {
        services.events.on('signup.joined', async (event) => {
          await new Promise((r) => setTimeout(r, 5));
          heard.push(event);
        });
      },
    });
    const emitter = defineBotModule({
      name: 'emitter',
      consumes: { commands: ['join'] },
      setup(m, _o, services) {
        m.command('join', async (ctx) => {
          await services.events.emit('signup.joined', { activity: 'A1', userId: ctx.from.userId });
          await ctx.reply(`heard ${heard.length}`);
        });
      },
    });
    group = await createTestGroup({ bots: [listener(), emitter()] });
    expect((await group.member('alice').says('@bot join')).reply?.content).toBe('heard 1');
    expect(heard[0]).toMatchObject({ type: 'signup.joined', source: 'emitter', payload: { activity: 'A1', userId: 'alice' } });
    expect(typeof heard[0]?.at).toBe('number');
  });

  it('a listener that throws is logged and skipped; the next listener and the emitter go on', async () => {
    const { log, lines } = captureLog();
    const bus = new EventBus(log, () => 1000);
    const seen: string[] = [];
    bus.on('tags', 'faq.answered', () => {
      throw new Error('boom');
    });
    bus.on('other', 'faq.answered', (e) => void seen.push(`other:${e.type}`));
    bus.on('audit', '*', (e) => void seen.push(`all:${e.type}`));
    await expect(bus.emit('faq', 'faq.answered', { entryId: '3', userId: 'u' })).resolves.toBeUndefined();
    expect(seen).toEqual(['other:faq.answered', 'all:faq.answered']);
    const failed = lines.find((l) => l.msg === 'event listener failed');
    expect(failed).toMatchObject({ event: 'faq.answered', source: 'faq', listener: 'tags' });
  });

  it('unsubscribing stops delivery; a bad event name is refused', async () => {
    const bus = new EventBus(pino({ level: 'silent' }));
    let n = 0;
    const off = bus.on('m', 'lead.created', () => void n++);
    await bus.emit('leads', 'lead.created', {});
    off();
    await bus.emit('leads', 'lead.created', {});
    expect(n).toBe(1);
    expect(bus.listenerCount('lead.created')).toBe(0);
    expect(() => bus.on('m', 'Lead Created', () => undefined)).toThrow(/event name "Lead Created" is invalid/);
  });

  it('two bots have two buses: an event never crosses to another bot', async () => {
    let heard = 0;
    const listener = defineBotModule({
      name: 'listener',
      setup: (_m, _o, s) => void s.events.on('coupon.claimed', () => void heard++),
    });
    const emitter = defineBotModule({
      name: 'emitter',
      consumes: { commands: ['claim'] },
      setup(m, _o, s) {
        m.command('claim', async (ctx) => {
          await s.events.emit('coupon.claimed', { userId: ctx.from.userId });
          await ctx.reply('ok');
        });
      },
    });
    group = await createTestGroup({ bots: [listener()] });
    const other = await createTestGroup({ bots: [emitter()] });
    try {
      await other.member('a').says('@bot claim');
      expect(heard).toBe(0);
    } finally {
      await other.close();
    }
  });
});
