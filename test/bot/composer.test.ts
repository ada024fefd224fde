import { describe, expect, expectTypeOf, it } from 'vitest';
import { Composer } from '../../src/bot/composer.js';
import { FILTERS, matchesFilter, type FilterMessage, type RoutedMessage } from '../../src/bot/filters.js';

/** A minimal context: the composer only needs `message`, `text` and `match`. */
interface Ctx {
  message: RoutedMessage;
  text: string;
  match: unknown;
  log: string[];
}

const base = { robot: 'group', format: 'xml', msgId: 'm', webhookUrl: 'w', chatId: 'c', chatType: 'group' } as const;
function textCtx(text: string): Ctx {
  return { message: { ...base, type: 'text', from: { userId: 'u' }, text }, text, match: undefined, log: [] };
}
function eventCtx(eventType: 'add_to_chat' | 'delete_from_chat' | 'enter_chat'): Ctx {
  return { message: { ...base, type: 'event', eventType }, text: '', match: undefined, log: [] };
}
async function run(c: Composer<Ctx>, ctx: Ctx): Promise<string[]> {
  await c.middleware()(ctx, async () => {
    ctx.log.push('end');
  });
  return ctx.log;
}

describe('Composer', () => {
  it('first match wins: a handler that does not call next ends the chain', async () => {
    const c = new Composer<Ctx>();
    c.hears('hi', (ctx) => void ctx.log.push('hears'));
    c.on('text', (ctx) => void ctx.log.push('text'));
    expect(await run(c, textCtx('hi'))).toEqual(['hears']);
    expect(await run(c, textCtx('other'))).toEqual(['text']);
  });

  it('use() sees every update and next() continues', async () => {
    const c = new Composer<Ctx>();
    c.use(async (ctx, next) => {
      ctx.log.push('before');
      await next();
      ctx.log.push('after');
    });
    c.on('event', (ctx) => void ctx.log.push('event'));
    expect(await run(c, textCtx('x'))).toEqual(['before', 'end', 'after']);
    expect(await run(c, eventCtx('add_to_chat'))).toEqual(['before', 'event', 'after']);
  });

  it('on() accepts several filters and narrows by event type', async () => {
    const c = new Composer<Ctx>();
    c.on(['event:add_to_chat', 'event:enter_chat'], (ctx) => {
      expectTypeOf(ctx.message.eventType).toEqualTypeOf<'add_to_chat' | 'enter_chat'>();
      ctx.log.push(ctx.message.eventType);
    });
    expect(await run(c, eventCtx('add_to_chat'))).toEqual(['add_to_chat']);
    expect(await run(c, eventCtx('enter_chat'))).toEqual(['enter_chat']);
    expect(await run(c, eventCtx('delete_from_chat'))).toEqual(['end']);
  });

  it('hears with a RegExp sets ctx.match; a global RegExp matches every time', async () => {
    const c = new Composer<Ctx>();
    c.hears(/天气\s*(\S+)/g, (ctx) => void ctx.log.push(`city=${ctx.match[1]}`));
    expect(await run(c, textCtx('天气 北京'))).toEqual(['city=北京']);
    expect(await run(c, textCtx('天气 上海'))).toEqual(['city=上海']);
  });

  it('command matches the first word with or without a slash, match is the rest', async () => {
    const c = new Composer<Ctx>();
    c.command('报名', (ctx) => void ctx.log.push(`signup:${ctx.match}`));
    expect(await run(c, textCtx('报名 张三  李四'))).toEqual(['signup:张三  李四']);
    expect(await run(c, textCtx('/报名'))).toEqual(['signup:']);
    expect(await run(c, textCtx('／报名 王五'))).toEqual(['signup:王五']);
    // A prefix is not the command.
    expect(await run(c, textCtx('报名表'))).toEqual(['end']);
  });

  it('filter and branch', async () => {
    const c = new Composer<Ctx>();
    c.filter(
      (ctx) => ctx.text.startsWith('!'),
      (ctx) => void ctx.log.push('bang'),
    );
    c.branch(
      async (ctx) => ctx.text.length > 3,
      (ctx) => void ctx.log.push('long'),
      (ctx, next) => {
        ctx.log.push('short');
        return next();
      },
    );
    expect(await run(c, textCtx('!x'))).toEqual(['bang']);
    expect(await run(c, textCtx('hello'))).toEqual(['long']);
    expect(await run(c, textCtx('hi'))).toEqual(['short', 'end']);
  });

  it('errorBoundary catches errors inside it only and may continue', async () => {
    const c = new Composer<Ctx>();
    c.errorBoundary(
      (err, next) => {
        (err.ctx as Ctx).log.push(`caught:${(err.error as Error).message}`);
        return next();
      },
      (ctx) => {
        if (ctx.text === 'boom') throw new Error('inner');
        ctx.log.push('ok');
      },
    );
    c.use(() => {
      throw new Error('outer');
    });
    const ctx = textCtx('boom');
    await expect(run(c, ctx)).rejects.toThrow('outer');
    expect(ctx.log).toEqual(['caught:inner']);
    expect(
      await run(
        new Composer<Ctx>().errorBoundary(
          () => undefined,
          (x) => void x.log.push('fine'),
        ),
        textCtx('a'),
      ),
    ).toEqual(['fine']);
  });

  it('an error after next() inside a boundary propagates', async () => {
    const caught: unknown[] = [];
    const c = new Composer<Ctx>();
    c.errorBoundary(
      (e) => void caught.push(e.error),
      (_ctx, next) => next(),
    );
    c.use(() => {
      throw new Error('downstream');
    });
    await expect(run(c, textCtx('x'))).rejects.toThrow('downstream');
    expect(caught).toEqual([]);
  });

  it('refuses next() called twice', async () => {
    const c = new Composer<Ctx>();
    c.use(async (_ctx, next) => {
      await next();
      await next();
    });
    await expect(run(c, textCtx('x'))).rejects.toThrow(/next\(\) called multiple times/);
  });

  it('a synchronous throw anywhere in the chain is a rejection, and next() always returns a promise', async () => {
    const c = new Composer<Ctx>();
    const seen: unknown[] = [];
    c.use((_ctx, next) => {
      const p = next();
      seen.push(p instanceof Promise);
      return p.catch((err: Error) => void seen.push(`caught ${err.message}`));
    });
    c.use(() => {
      throw new Error('boom');
    });
    let first: unknown;
    expect(() => (first = c.middleware()(textCtx('x'), async () => {}))).not.toThrow();
    await first;
    await run(c, textCtx('x'));
    expect(seen).toEqual([true, 'caught boom', true, 'caught boom']);
    const bare = new Composer<Ctx>();
    bare.filter(() => {
      throw new Error('bad predicate');
    });
    await expect(run(bare, textCtx('x'))).rejects.toThrow('bad predicate');
  });

  it('a sync middleware that passes on still gets a promise from next(), and the chain waits for async steps', async () => {
    const c = new Composer<Ctx>();
    c.use((ctx, next) => {
      ctx.log.push('sync');
      return next();
    });
    c.use(async (ctx, next) => {
      await new Promise((r) => setTimeout(r, 5));
      ctx.log.push('slow');
      await next();
    });
    expect(await run(c, textCtx('x'))).toEqual(['sync', 'slow', 'end']);
  });

  it('a predicate may return any truthy value or a promise of one', async () => {
    const c = new Composer<Ctx>();
    c.filter(
      (ctx) => ctx.text.match(/^a/) as unknown as boolean,
      (ctx) => void ctx.log.push('regex'),
    );
    c.filter(
      async (ctx) => ctx.text === 'b',
      (ctx) => void ctx.log.push('async'),
    );
    expect(await run(c, textCtx('abc'))).toEqual(['regex']);
    expect(await run(c, textCtx('b'))).toEqual(['async']);
    expect(await run(c, textCtx('c'))).toEqual(['end']);
  });

  it('a sub-composer extended after it was added is seen', async () => {
    const c = new Composer<Ctx>();
    const sub = c.use();
    c.on('text', (ctx) => void ctx.log.push('text'));
    sub.hears('late', (ctx) => void ctx.log.push('late'));
    expect(await run(c, textCtx('late'))).toEqual(['late']);
    expect(await run(c, textCtx('other'))).toEqual(['text']);
  });
});

describe('filter table', () => {
  it('every filter name has a runtime check that agrees with its spec', () => {
    const text: RoutedMessage = { ...base, type: 'text', from: { userId: 'u' }, text: 'x' };
    const voice: RoutedMessage = {
      robot: 'aibot',
      format: 'json',
      msgId: 'm',
      aibotId: 'a',
      chatType: 'single',
      from: { userId: 'u' },
      type: 'voice',
      text: 'v',
    };
    const feedback: RoutedMessage = {
      robot: 'aibot',
      format: 'json',
      msgId: 'm',
      aibotId: 'a',
      chatType: 'single',
      from: { userId: 'u' },
      type: 'event',
      eventType: 'feedback_event',
      feedbackId: 'f',
      feedbackType: 1,
      inaccurateReasons: [],
    };
    const expectations: Record<string, [boolean, boolean, boolean]> = {
      message: [true, true, false],
      text: [true, false, false],
      voice: [false, true, false],
      event: [false, false, true],
      'event:feedback_event': [false, false, true],
      'event:add_to_chat': [false, false, false],
      'robot:group': [true, false, false],
      'robot:aibot': [false, true, true],
      'chat:group': [true, false, false],
      'chat:single': [false, true, true],
    };
    for (const [name, [a, b, c]] of Object.entries(expectations)) {
      const q = name as keyof typeof FILTERS;
      expect([matchesFilter(text, q), matchesFilter(voice, q), matchesFilter(feedback, q)], name).toEqual([a, b, c]);
    }
  });

  it('narrows types from the same table', () => {
    expectTypeOf<FilterMessage<'text'>['text']>().toEqualTypeOf<string>();
    expectTypeOf<FilterMessage<'event:feedback_event'>['feedbackId']>().toEqualTypeOf<string>();
    expectTypeOf<FilterMessage<'attachment'>['robot']>().toEqualTypeOf<'group'>();
    expectTypeOf<FilterMessage<'voice'>['robot']>().toEqualTypeOf<'aibot'>();
    expectTypeOf<FilterMessage<'event:enter_chat'>['robot']>().toEqualTypeOf<'group' | 'aibot'>();
  });

  it('rejects an unknown filter name at runtime', () => {
    const c = new Composer<Ctx>();
    // @ts-expect-error not in the table
    c.on('txt', () => undefined);
    return expect(run(c, textCtx('x'))).rejects.toThrow(/unknown filter "txt"/);
  });
});
