/** The leads options: defaults, and every bad field named in the error. */
import { describe, expect, it } from 'vitest';
import { parseLeadsConfig, type LeadsConfigInput } from '../../../src/bots/leads/config.js';
import { leads } from '../../../src/bots/leads/module.js';
import { normalizePhone, maskedPhone } from '../../../src/bots/leads/phone.js';
import { botRequest } from '../../../src/bot/request.js';
import { genericSignature } from '../../../src/bots/leads/intake/verify.js';
import { createTestGroup, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import { baseConfig, SECRETS } from './rig.js';

const base = () => baseConfig('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k');
const bad = (change: (c: Record<string, unknown>) => void) => {
  const c = structuredClone(base()) as unknown as Record<string, unknown>;
  change(c);
  return () => parseLeadsConfig(c as unknown as LeadsConfigInput);
};

describe('leads config', () => {
  it('defaults', () => {
    const c = parseLeadsConfig(base());
    expect(c).toMatchObject({
      strategy: 'round-robin',
      repeatWindowMs: 30 * 86_400_000,
      timezone: 'Asia/Shanghai',
      job: { name: 'leads-escalate', schedule: '0 * * * * *' },
    });
    expect(c.claim.withinMs).toBe(15 * 60_000);
    expect(c.sources.get('feiyu')?.response).toEqual({ codeKey: 'code', code: 200, msgKey: 'message', message: 'success' });
    expect(c.sources.get('gdt')?.response.code).toBe(0);
  });

  it.each<[string, (c: Record<string, unknown>) => void, string]>([
    ['a webhook that is no URL', (c) => (c.group = { webhook: 'key=abc' }), 'group.webhook must be an http(s) URL'],
    ['no sources', (c) => (c.sources = {}), 'sources must name at least one source'],
    [
      'a source name with capitals',
      (c) => (c.sources = { Feiyu: { kind: 'feiyu', token: 'x'.repeat(20) } }),
      'sources.Feiyu is not a source name',
    ],
    [
      'an unknown kind',
      (c) => ((c.sources as Record<string, unknown>).gdt = { kind: 'baidu', token: 'x'.repeat(20) }),
      'sources.gdt.kind must be one of',
    ],
    [
      '飞鱼 without a token',
      (c) => ((c.sources as Record<string, unknown>).feiyu = { kind: 'feiyu' }),
      'sources.feiyu.token is required for feiyu',
    ],
    [
      'a short token',
      (c) => ((c.sources as Record<string, unknown>).gdt = { kind: 'tencent', token: 'short' }),
      'sources.gdt.token must be at least 16 characters',
    ],
    [
      'an open generic source',
      (c) => ((c.sources as Record<string, unknown>).form = { kind: 'generic' }),
      'sources.form.token or secret is required',
    ],
    [
      'a mapping of an unknown field',
      (c) => ((c.sources as Record<string, unknown>).form = { kind: 'generic', secret: 's'.repeat(20), fields: { mobile: 'tel' } }),
      'sources.form.fields.mobile is not a lead field',
    ],
    [
      'a typo in a source',
      (c) => ((c.sources as Record<string, unknown>).form = { kind: 'generic', secret: 's'.repeat(20), tokn: 'x' }),
      'sources.form.tokn is not an option (did you mean "token"?)',
    ],
    ['no reps', (c) => (c.reps = []), 'reps must list at least one rep'],
    ['a rep without userId', (c) => (c.reps = [{ name: '李四' }]), 'reps[0].userId is required'],
    ['a rep twice', (c) => (c.reps = [{ userId: 'a' }, { userId: 'a' }]), 'reps[1].userId "a" is listed twice'],
    ['a bad shift', (c) => (c.reps = [{ userId: 'a', shift: '9-18' }]), 'reps[0].shift "9" is not a time of day'],
    ['a bad mobile', (c) => (c.reps = [{ userId: 'a', mobile: '12345' }]), 'reps[0].mobile must be a mainland mobile number'],
    ['a bad weekday', (c) => (c.reps = [{ userId: 'a', days: ['mon', 'someday'] }]), 'reps[0].days[1] "someday" is not a weekday'],
    [
      'a rule naming no rep',
      (c) => (c.rules = [{ region: '上海', reps: ['nobody'] }]),
      'rules[0].reps[0] "nobody" is not one of reps[].userId',
    ],
    ['a rule without a condition', (c) => (c.rules = [{ reps: ['lisi'] }]), 'rules[0].region or product or source is required'],
    [
      'a rule on an unknown source',
      (c) => (c.rules = [{ source: 'baidu', reps: ['lisi'] }]),
      'rules[0].source[0] "baidu" is not one of sources',
    ],
    ['a bad claim time', (c) => (c.claim = { within: 'soon' }), 'claim.within "soon" is not a duration'],
    ['an unknown strategy', (c) => (c.strategy = 'random'), 'strategy must be one of "round-robin", "least-loaded"'],
    ['an unknown zone', (c) => (c.timezone = 'Mars/Base'), 'timezone "Mars/Base" is not an IANA time zone'],
    ['a bad AgentId', (c) => (c.reveal = { agentId: 0 }), 'reveal.agentId must be at least 1'],
    ['an unknown top-level field', (c) => (c.rule = []), 'rule is not an option (did you mean "rules"?)'],
  ])('%s', (_name, change, message) => {
    expect(bad(change)).toThrow(message);
  });

  it('without group.webhook the posts go to WECOM_WEBHOOK_URL; with neither, leads are stored and left for the job', async () => {
    const { group: _group, ...rest } = base();
    const fake = await startFakeWecom();
    const key = fake.newKey();
    const alone = await createTestGroup({ bots: [leads(rest)] }, { fake });
    const lead = JSON.stringify({ id: 'w-1', phone: '13800000000' });
    const ts = String(Math.floor(Date.now() / 1000));
    const send = (bot: TestGroup['bot']) =>
      bot.handle(
        botRequest({
          method: 'POST',
          url: '/leads/form',
          headers: { 'x-timestamp': ts, 'x-signature': genericSignature(SECRETS.form, ts, lead) },
          body: lead,
        }),
      );
    expect((await send(alone.bot)).status).toBe(200);
    await alone.close();
    const withDefault = await createTestGroup({ bots: [leads(rest)], webhookUrl: fake.webhookUrl(key) }, { fake });
    expect((await send(withDefault.bot)).status).toBe(200);
    expect(fake.accepted(key)).toHaveLength(1);
    await withDefault.close();
    await fake.close();
  });

  it('the factory refuses bad options at once, naming the field', () => {
    expect(() => leads({ ...base(), reps: [{ userId: 'has space' }] })).toThrow('reps[0].userId must be a WeCom userid');
  });
});

describe('leads phones (E.164, mainland China)', () => {
  it.each([
    ['13812341234', '+8613812341234'],
    ['138 1234 1234', '+8613812341234'],
    ['+86 138-1234-1234', '+8613812341234'],
    ['0086 13812341234', '+8613812341234'],
    ['8613812341234', '+8613812341234'],
    ['(021) 6123-4567', '+862161234567'],
    ['0755-12345678', '+8675512345678'],
    ['+86 10 6123 4567', '+861061234567'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw).e164).toBe(e164);
  });
  it.each([
    ['138****0000', 'masked'],
    ['12812341234', 'invalid'],
    ['+1 415 555 0100', 'invalid'],
    ['1381234123', 'invalid'],
    ['', 'missing'],
  ])('%s is flagged %s', (raw, flag) => {
    expect(normalizePhone(raw)).toEqual({ e164: undefined, raw, flag });
  });
  it('masks for the group', () => {
    expect(maskedPhone(normalizePhone('13812341234'))).toBe('138****1234');
    expect(maskedPhone(normalizePhone('021-61234567'))).toBe('021-****67');
  });
});
