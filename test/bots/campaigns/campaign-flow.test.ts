import { afterEach, describe, expect, it } from 'vitest';
import { parseCampaignsConfig } from '../../../src/bots/campaigns/config.js';
import { openCampaignRunner } from '../../../src/bots/campaigns/open.js';
import pino from 'pino';
import { campaignRig, HOUR, type CampaignRig } from './rig.js';

let rig: CampaignRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Every minute: any whole-minute fire time the test picks is one of the schedule's. */
const EVERY_MINUTE = '0 * * * * *';

const spring = {
  name: 'spring',
  schedule: EVERY_MINUTE,
  vars: { link: 'https://shop.example.com/s' },
  rules: [
    { segment: 'VIP and 上海 and not 已购', offer: '{name}，上海 VIP 8 折：{link}' },
    { segment: '(VIP or SVIP) and not 已购', offer: '{name}，VIP 9 折' },
  ],
};
const autumn = { name: 'autumn', schedule: EVERY_MINUTE, rules: [{ segment: 'VIP or SVIP', offer: '{name}，秋季上新' }] };

const contents = (r: CampaignRig) => r.group.pushTexts();

/** The report as `wecombot campaigns report` reads it: a runner of its own on the same store. */
async function runnerReport(r: CampaignRig, name: string) {
  const runner = await openCampaignRunner(
    r.store,
    parseCampaignsConfig({ quietHours: false, campaigns: [spring, autumn] }),
    pino({ level: 'silent' }),
  );
  try {
    return await runner.report(name);
  } finally {
    await runner.close();
  }
}

describe('campaigns: rules, delivery and the report', () => {
  it('each recipient gets the first matching rule’s offer, @-mentioned in their group; the report counts it', async () => {
    rig = await campaignRig({ quietHours: false, campaigns: [spring] });
    await rig.seed({ a: ['VIP', '上海'], b: ['SVIP'], c: ['VIP', '已购'], d: ['上海'] });
    const run = await rig.group.bot.runJob('campaign-spring', new Date(rig.clock.now()));
    expect(run.status).toBe('ran');
    expect(contents(rig).sort()).toEqual(['<@a> 名a，上海 VIP 8 折：https://shop.example.com/s', '<@b> 名b，VIP 9 折']);
    const report = await runnerReport(rig, 'spring');
    // c has 已购 and d no VIP: two recipients.
    expect(report).toMatchObject({ recipients: 2, sent: 2, capped: 0, optedOut: 0, unreachable: 0, failed: 0, pending: 0 });
  });

  it('the frequency cap holds across campaigns; 退订 is honoured at once and listed; an empty segment sends nothing', async () => {
    rig = await campaignRig({
      quietHours: false,
      caps: { perDay: 1, perWeek: 2 },
      campaigns: [spring, autumn, { name: 'nobody', schedule: EVERY_MINUTE, rules: [{ segment: '不存在', offer: 'x' }] }],
    });
    await rig.seed({ a: ['VIP', '上海'], b: ['SVIP'], c: ['VIP'] });
    const at = () => new Date(rig!.clock.now());
    await rig.group.bot.runJob('campaign-spring', at());
    expect(contents(rig)).toHaveLength(3);
    // Same day: autumn reaches no one (1 per day, whatever the campaign).
    await rig.group.bot.runJob('campaign-autumn', at());
    expect(contents(rig)).toHaveLength(3);
    // c opts out; a day later autumn reaches a and b only.
    const out = await rig.group.member('c').says('@bot 退订');
    expect(out.reply?.content).toContain('已退订');
    expect(out.reply?.visibleTo).toEqual(['c']);
    await rig.clock.advance(25 * HOUR);
    await rig.group.bot.runJob('campaign-autumn', at());
    expect(contents(rig).slice(3).sort()).toEqual(['<@a> 名a，秋季上新', '<@b> 名b，秋季上新']);
    // Two days on: the weekly cap (2) stops a and b.
    await rig.clock.advance(25 * HOUR);
    await rig.group.bot.runJob('campaign-spring', at());
    expect(contents(rig)).toHaveLength(5);
    expect(await runnerReport(rig, 'spring')).toMatchObject({ recipients: 3, sent: 0, capped: 2, optedOut: 1 });
    expect(await runnerReport(rig, 'autumn')).toMatchObject({ recipients: 3, sent: 2, optedOut: 1 });
    await rig.group.bot.runJob('campaign-nobody', at());
    expect(contents(rig)).toHaveLength(5);
  });
});

describe('campaigns: quiet hours', () => {
  it('a run that fires in quiet hours waits; the sweep starts it when they end', async () => {
    const night = Date.parse('2030-06-03T22:00:00+08:00');
    rig = await campaignRig({ quietHours: { from: '21:00', to: '09:00' }, campaigns: [spring] }, { start: night });
    await rig.seed({ a: ['VIP'] });
    await rig.group.bot.runJob('campaign-spring', new Date(night));
    expect(contents(rig)).toEqual([]);
    await rig.group.bot.runJob('campaigns-sweep', new Date(night + 60_000));
    expect(contents(rig)).toEqual([]);
    await rig.clock.advance(11 * HOUR); // 09:00 the next day
    await rig.group.bot.runJob('campaigns-sweep', new Date(rig.clock.now()));
    expect(contents(rig)).toEqual(['<@a> 名a，VIP 9 折']);
  });
});

describe('campaigns options', () => {
  it('a segment that does not parse is refused at start-up with its position', () => {
    const bad = (segment: string) => () =>
      parseCampaignsConfig({ campaigns: [{ name: 'x', schedule: '0 0 10 * * *', rules: [{ segment, offer: 'hi' }] }] });
    expect(bad('VIP and')).toThrow(/campaigns\[0\]\.rules\[0\]\.segment does not parse: segment "VIP and" at position 8: expected a tag/);
    expect(bad('(VIP or SVIP')).toThrow(/position 13: expected "\)" to close the "\(" at position 1/);
    expect(bad('VIP 上海')).toThrow(/position 5: expected and, or or "\)" before "上海"/);
    expect(() =>
      parseCampaignsConfig({ campaigns: [{ name: 'x', schedule: '0 0 10 * * *', rules: [{ segment: 'VIP', offer: '{nmae}' }] }] }),
    ).toThrow(/rules\[0\]\.offer uses \{nmae\}/);
    expect(() => parseCampaignsConfig({ campaigns: [{ name: 'x', rules: [{ segment: 'VIP', offer: 'x' }] }] })).toThrow(
      /schedule or at is required/,
    );
    expect(
      parseCampaignsConfig({ campaigns: [{ name: 'x', at: '2030-06-01 10:00', rules: [{ segment: 'VIP', offer: 'x' }] }] }).campaigns[0]
        ?.schedule,
    ).toBe('0 0 10 1 6 * 2030');
  });
});
