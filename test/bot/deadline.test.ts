import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/bot/clock.js';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';
import { gate } from './helpers.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('deadline-aware replies', () => {
  it('a handler that takes 8 s gets the 200 at the 3 s budget, and its answer arrives by webhook', async () => {
    const clock = manualClock();
    group = await createTestGroup({ clock });
    let finished = false;
    const started = gate();
    group.bot.command('report', async (ctx) => {
      started.open();
      await clock.sleep(8000);
      finished = true;
      await ctx.reply('report ready');
    });
    const pending = group.member('alice').says('@bot report');
    // The budget starts when the callback is opened; the handler runs right after.
    await started.promise;
    await clock.advance(2999);
    let answered = false;
    void pending.then(() => (answered = true));
    await clock.advance(0);
    expect(answered).toBe(false);
    await clock.advance(1); // t = 3000: the budget elapses
    const ex = await pending;
    expect(ex.status).toBe(200);
    expect(ex.reply).toBeUndefined();
    expect(finished).toBe(false);
    expect(group.pushes()).toEqual([]);

    await clock.advance(5000); // t = 8000: the handler replies
    await group.settle();
    expect(finished).toBe(true);
    const pushes = await group.waitForPushes(1);
    expect(pushes[0]).toMatchObject({ msgtype: 'text', text: { content: 'report ready' }, chatid: group.chatId });
  });

  it('the budget is configurable, and a reply within it is passive', async () => {
    const clock = manualClock();
    group = await createTestGroup({ clock, ackBudgetMs: 500 });
    const started = gate();
    group.bot.command('slow', async (ctx) => {
      started.open();
      await clock.sleep(400);
      await ctx.reply('made it');
      await ctx.reply('second one');
    });
    const pending = group.member('bob').says('@bot slow');
    await started.promise;
    await clock.advance(400);
    const ex = await pending;
    expect(ex.reply?.content).toBe('made it');
    await group.settle();
    expect(group.pushTexts()).toEqual(['second one']);
  });

  it('ctx.deadline reports the time left', async () => {
    const clock = manualClock();
    group = await createTestGroup({ clock, ackBudgetMs: 1000 });
    const seen: number[] = [];
    const started = gate();
    group.bot.use(async (ctx) => {
      started.open();
      seen.push(ctx.deadline.remainingMs());
      await clock.sleep(250);
      seen.push(ctx.deadline.remainingMs());
      expect(ctx.deadline.responded).toBe(false);
      await ctx.reply('ok');
      expect(ctx.deadline.responded).toBe(true);
    });
    const p = group.member('c').says('@bot x');
    await started.promise;
    await clock.advance(250);
    expect((await p).reply?.content).toBe('ok');
    expect(seen).toEqual([1000, 750]);
  });

  it('rejects a budget of 5 s or more', async () => {
    await expect(createTestGroup({ ackBudgetMs: 5000 })).rejects.toThrow(/ackBudgetMs/);
  });
});
