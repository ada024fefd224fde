/**
 * Type tests: `tsc --noEmit` (part of `npm test`) fails when a context stops narrowing. The
 * runtime part only checks that the handlers are real functions.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ActionClick } from '../../src/bot/action.js';
import { createBot } from '../../src/bot/bot.js';
import type { Context } from '../../src/bot/context.js';
import type { FilterMessage } from '../../src/bot/filters.js';
import { defineBotModule, type ModuleContext } from '../../src/bot/module.js';
import { session, type SessionFlavor } from '../../src/bot/session-middleware.js';

describe('context types', () => {
  it('filters narrow ctx.message', () => {
    const bot = createBot();
    bot.on('event:add_to_chat', (ctx) => {
      expectTypeOf(ctx.message.type).toEqualTypeOf<'event'>();
      expectTypeOf(ctx.message.eventType).toEqualTypeOf<'add_to_chat'>();
    });
    bot.on('text', (ctx) => {
      expectTypeOf(ctx.message).toEqualTypeOf<FilterMessage<'text'>>();
      expectTypeOf(ctx.message.text).toBeString();
    });
    bot.on(['image', 'file'], (ctx) => {
      expectTypeOf(ctx.message.type).toEqualTypeOf<'image' | 'file'>();
    });
  });

  it('action narrows: ctx.action is the typed click and ctx.match follows the trigger', () => {
    const bot = createBot();
    bot.action('signup:join', (ctx) => {
      expectTypeOf(ctx.action).toEqualTypeOf<ActionClick>();
      expectTypeOf(ctx.match).toEqualTypeOf<string>();
      if (ctx.action.robot === 'aibot') expectTypeOf(ctx.action.taskId).toBeString();
    });
    bot.action(/^vote:(\w+)$/, (ctx) => {
      expectTypeOf(ctx.match).toEqualTypeOf<RegExpMatchArray>();
    });
    bot.command('报名', (ctx) => expectTypeOf(ctx.match).toEqualTypeOf<string>());
    bot.hears(/^天气\s*(\S+)/, (ctx) => expectTypeOf(ctx.match).toEqualTypeOf<RegExpMatchArray>());
  });

  it('createBot<C>() carries properties middleware adds (flavors)', () => {
    type Tenant = { tenant: { id: string } };
    const bot = createBot<Context & Tenant>();
    bot.use((ctx, next) => {
      ctx.tenant = { id: 'acme' };
      return next();
    });
    bot.on('text', (ctx) => {
      expectTypeOf(ctx.tenant.id).toBeString();
      expectTypeOf(ctx.message.type).toEqualTypeOf<'text'>();
    });
    bot.action('x', (ctx) => expectTypeOf(ctx.tenant).toEqualTypeOf<{ id: string }>());
  });

  it('session types flow from a module declaration into its handlers', () => {
    defineBotModule({
      name: 'typed',
      consumes: { commands: ['go'], buttons: ['typed'] },
      session: { initial: () => ({ step: 'start' as 'start' | 'done', answers: [] as string[] }) },
      chatSession: { initial: () => ({ total: 0 }) },
      setup(m) {
        expectTypeOf(m.button('ok')).toBeString();
        m.command('go', (ctx) => {
          expectTypeOf(ctx.session.step).toEqualTypeOf<'start' | 'done'>();
          expectTypeOf(ctx.session.answers).toEqualTypeOf<string[]>();
          expectTypeOf(ctx.chatSession.total).toBeNumber();
          expectTypeOf(ctx.match).toBeString();
        });
        m.action('ok', (ctx) => {
          expectTypeOf(ctx.session.step).toEqualTypeOf<'start' | 'done'>();
          expectTypeOf(ctx.action).toEqualTypeOf<ActionClick>();
        });
        m.on('text', (ctx) =>
          expectTypeOf(ctx).toMatchTypeOf<ModuleContext<{ step: 'start' | 'done'; answers: string[] }, { total: number }>>(),
        );
      },
    });
  });

  it('the bot-level session is typed through SessionFlavor', () => {
    const bot = createBot<Context & SessionFlavor<{ count: number }>>();
    bot.use(session({ initial: () => ({ count: 0 }) }));
    bot.command('count', (ctx) => expectTypeOf(ctx.session.count).toBeNumber());
  });
});
