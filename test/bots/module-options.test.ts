/**
 * Every ready-made bot refuses an option it does not have, naming the closest one it has: a
 * misspelt optional option (`limt`) would otherwise be ignored without a word, and a misspelt
 * required one (`sourse`) reported as missing. Errors carry the module's name once.
 */
import { describe, expect, it } from 'vitest';
import { defineBotModule, type BotModule } from '../../src/bot/module.js';
import { campaigns, faq, kbSearch, leads, notifier, signup, tags, welcome } from '../../src/bots/index.js';

type Factory = (options: never) => BotModule;

const READY_MADE: [string, Factory, Record<string, unknown>][] = [
  ['campaigns', campaigns, { campaigns: [{ name: 'spring', schedule: '0 0 10 * * *', rules: [{ segment: 'VIP', offer: '春季特惠' }] }] }],
  ['faq', faq, { source: 'faq.yaml' }],
  ['kb-search', kbSearch, { source: 'kb.idx' }],
  ['leads', leads, { sources: { form: { kind: 'generic', secret: 's'.repeat(20) } }, reps: [{ userId: 'lisi' }] }],
  ['notifier', notifier, { weather: { provider: 'offline-sample', location: { city: '上海' } } }],
  ['signup', signup, {}],
  ['tags', tags, {}],
  ['welcome', welcome, {}],
];

/** The error a factory throws for `options`. */
function errorOf(factory: Factory, options: Record<string, unknown>): { message: string; code: string; hint?: string } {
  try {
    factory(options as never);
  } catch (err) {
    return err as { message: string; code: string; hint?: string };
  }
  throw new Error('no error');
}

describe('ready-made bots refuse unknown options', () => {
  it.each(READY_MADE)('%s: valid options pass; an unknown key is refused with the list of its options', (name, factory, valid) => {
    expect(factory(valid as never).name).toBe(name);
    const err = errorOf(factory, { ...valid, bogus: 1 });
    expect(err.code).toBe('bot_config_invalid');
    expect(err.message).toBe(`${name}: bogus is not an option`);
    expect(err.hint).toMatch(new RegExp(`^${name} takes \\w+, `));
  });

  it('the issue: kbSearch limt and sourse, faq sorce, notifier jbs', () => {
    expect(errorOf(kbSearch, { source: 'kb.idx', limt: 3 }).message).toBe('kb-search: limt is not an option (did you mean "limit"?)');
    const sourse = errorOf(kbSearch, { sourse: 'kb.idx' });
    expect(sourse.message).toBe('kb-search: sourse is not an option (did you mean "source"?)');
    expect(sourse.hint).toBe('kb-search takes source, limit, highlight, examples, title');
    expect(errorOf(faq, { sorce: 'faq.yaml' }).message).toBe('faq: sorce is not an option (did you mean "source"?)');
    const jbs = errorOf(notifier, { jbs: [], weather: { provider: 'offline-sample', location: { city: '上海' } } });
    expect(jbs.message).toBe('notifier: jbs is not an option');
    expect(jbs.hint).toContain('notifier takes name, schedule, timezone, webhooks, weather, report, onFailure, retry, timeoutMs');
  });

  it('nested objects and list items are checked too', () => {
    expect(errorOf(faq, { source: 'faq.yaml', handoff: { keywrds: ['人工'] } }).message).toBe(
      'faq: handoff.keywrds is not an option (did you mean "keywords"?)',
    );
    expect(errorOf(faq, { source: 'faq.yaml', handoff: { roster: [{ userId: 'a', hour: '9-18' }] } }).message).toBe(
      'faq: handoff.roster[0].hour is not an option (did you mean "hours"?)',
    );
    expect(errorOf(kbSearch, { source: { remote: { url: 'https://x', hits: '', title: 't', link: 'l', snippit: 's' } } }).message).toBe(
      'kb-search: source.remote.snippit is not an option (did you mean "snippet"?)',
    );
    expect(errorOf(signup, { activities: [{ id: 'r', title: 't', startsAt: '2030-01-01 10:00', capacity: 5, capasity: 6 }] }).message).toBe(
      'signup: activities[0].capasity is not an option (did you mean "capacity"?)',
    );
    expect(errorOf(tags, { keywords: [{ match: '报价', tags: '意向' }] }).message).toBe(
      'tags: keywords[0].tags is not an option (did you mean "tag"?)',
    );
    expect(errorOf(welcome, { coupons: { pattren: 'NEW-{XXXXXX}', count: 10 } }).message).toBe(
      'welcome: coupons.pattren is not an option (did you mean "pattern"?)',
    );
    expect(
      errorOf(campaigns, { campaigns: [{ name: 's', schedule: '0 0 10 * * *', rules: [{ segment: 'VIP', offer: 'x' }], chanel: 'group' }] })
        .message,
    ).toBe('campaigns: campaigns[0].chanel is not an option (did you mean "channel"?)');
    expect(errorOf(notifier, { weather: { provider: 'open-meteo', apiKey: 'k', location: { city: '上海' } } }).message).toBe(
      'notifier: weather.apiKey is not an option of the open-meteo provider',
    );
  });

  it("notifier's deps (tests, the offline demo) are not an option the check refuses", () => {
    const m = notifier({ weather: { provider: 'offline-sample', location: { city: '上海' } }, deps: { sleep: async () => undefined } });
    expect((m.options as { deps: object }).deps).toHaveProperty('sleep');
  });

  it("an option's own error names the module once; a user module's plain error gets the prefix", () => {
    const err = errorOf(kbSearch, { source: '' });
    expect(err.message).toBe('kb-search: source must name an index file, a postgres:// URL or a remote API');
    expect(err.hint).toBe('fix source in the kb-search options of wecombot.config');
    const mine = defineBotModule({
      name: 'mine',
      options: (o: { n: number }) => {
        if (typeof o.n !== 'number') throw new TypeError('n must be a number');
        return o;
      },
    });
    expect(errorOf(mine as unknown as Factory, {}).message).toBe('mine: n must be a number');
  });
});
