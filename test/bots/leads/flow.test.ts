/**
 * The leads bot end to end: a 飞鱼 push through the intake route, the post in the sales group
 * (fake WeCom), the 认领 click as a signed, encrypted callback, the status commands, and the
 * claim timer's escalation — with the answers each platform expects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findLead } from '../../../src/bots/leads/records/status.js';
import type { WebhookMessage } from '../../../src/protocol/message/types.js';
import { actions, allLeads, feiyuAuth, feiyuClue, formAuth, leadsRig, MINUTE, tencentLead, TOKENS, type Rig } from './rig.js';

let rig: Rig;
afterEach(async () => rig?.close());

type Markdown = Extract<WebhookMessage, { msgtype: 'markdown' }>;
const markdownOf = (m: WebhookMessage | undefined) => (m as Markdown).markdown;
const claimIdOf = (m: WebhookMessage | undefined) => markdownOf(m).attachments?.[0]?.actions[0]?.name ?? '';

async function pushFeiyu(clue: Record<string, unknown>) {
  const body = JSON.stringify(clue);
  return rig.deliver('feiyu', body, feiyuAuth(body, rig.clock.now()));
}

describe('leads: a 飞鱼 lead from push to won', () => {
  it('stores, assigns by rule, posts masked with an @ and a 认领 button, reveals the phone to the claimer only', async () => {
    rig = await leadsRig();
    const res = await pushFeiyu(feiyuClue());
    // 飞鱼 judges delivery by the body: its default respSetting.
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ code: 200, message: 'success' });

    const [lead] = await allLeads(rig);
    expect(lead).toMatchObject({
      source: 'feiyu',
      externalId: '7034512345678901',
      status: 'new',
      phone: { e164: '+8613812341234', raw: '13812341234', flag: undefined },
      region: '上海 上海',
      product: '产品A',
      channel: '抖音',
      assignedTo: 'lisi',
      assignReason: '上海 + 产品A → 李四, round-robin',
    });
    expect(lead!.answers).toMatchObject({ 意向产品: '产品A', weixin: 'wx123456789' });

    const posts = rig.group.pushes();
    expect(posts).toHaveLength(1);
    const post = markdownOf(posts[0]);
    expect(post.content).toMatch(/^<@lisi> \*\*新线索 L[0-9A-Z]{8}\*\*/);
    expect(post.content).toContain('138****1234');
    expect(post.content).toContain('张**');
    expect(post.content).toContain('上海 + 产品A → 李四, round-robin');
    expect(post.content).not.toContain('13812341234');
    expect(post.content).not.toContain('张三');
    expect(claimIdOf(posts[0])).toBe(`leads:claim:${lead!.id}`);
    expect(post.attachments?.[0]?.actions[0]?.text).toBe('认领');

    // 李四 clicks 认领: the full phone comes back in the passive answer, visible to 李四 alone.
    const id = claimIdOf(posts[0]);
    const click = await rig.group.member('lisi', { name: '李四' }).clicks('leads', { name: id, value: id });
    expect(click.reply?.content).toContain('13812341234');
    expect(click.reply?.content).toContain('张三');
    expect(click.reply?.visibleTo).toEqual(['lisi']);
    await rig.group.settle();
    // The group learns it is taken, without the phone.
    expect(rig.group.pushTexts()[1]).toBe(`✅ 线索 ${lead!.id} 已由 李四 认领`);

    // A second click by someone else: taken, told privately; nothing changes.
    const late = await rig.group.member('zhaoliu').clicks('leads', { name: id, value: id });
    expect(late.reply?.content).toBe(`线索 ${lead!.id} 已由 李四 认领`);
    expect(late.reply?.visibleTo).toEqual(['zhaoliu']);
    expect(late.reply?.content).not.toContain('1381234');

    // Status: contacted, then won; 赵六 may not move 李四's lead.
    expect((await rig.group.member('zhaoliu').says(`@bot 线索 ${lead!.id} 成交`)).reply?.content).toBe(`线索 ${lead!.id} 不是你认领的`);
    expect((await rig.group.member('lisi').says(`@bot 线索 ${lead!.id} 已联系`)).reply?.content).toBe(`线索 ${lead!.id} → 已联系`);
    expect((await rig.group.member('lisi').says(`@bot 线索 ${lead!.id} 成交 签约两年`)).reply?.content).toBe(`线索 ${lead!.id} → 成交`);
    expect((await rig.group.member('lisi').says(`@bot 线索 ${lead!.id} 丢单`)).reply?.content).toContain('不能改为「丢单」');
    expect(await actions(rig, lead!.id)).toEqual([
      'created →new by system',
      'assigned by system',
      'claimed →claimed by lisi',
      'status →contacted by lisi',
      'status →won by lisi',
    ]);
  });

  it('a replayed delivery is stored once and posted once; a repeat by phone is attached, not reposted', async () => {
    rig = await leadsRig();
    const first = await pushFeiyu(feiyuClue());
    const again = await pushFeiyu(feiyuClue());
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(JSON.parse(again.body)).toEqual({ code: 200, message: 'success' });
    rig.clock.advance(10 * MINUTE);
    // Another clue id, the same person typed differently: a repeat of the first.
    const repeat = await pushFeiyu(feiyuClue({ id: '7034512345670000', telphone: '+86 138-1234-1234' }));
    expect(repeat.status).toBe(200);
    const rows = await allLeads(rig);
    expect(rows).toHaveLength(2);
    const original = rows.find((l) => l.status !== 'repeat')!;
    const marked = rows.find((l) => l.status === 'repeat')!;
    expect(marked.repeatOf).toBe(original.id);
    expect(original.repeatCount).toBe(1);
    expect(rig.group.pushes()).toHaveLength(1);
    expect(await actions(rig, original.id)).toContain('repeat by system');
    // A replay of the repeat changes nothing either.
    await pushFeiyu(feiyuClue({ id: '7034512345670000', telphone: '+86 138-1234-1234' }));
    expect((await findLead(rig.ledger, original.id))?.repeatCount).toBe(1);
  });

  it('a repeat after the window is a new lead', async () => {
    rig = await leadsRig({ config: { repeatWindow: '1d' } });
    await pushFeiyu(feiyuClue());
    rig.clock.advance(25 * 60 * MINUTE);
    await pushFeiyu(feiyuClue({ id: '99' }));
    expect((await allLeads(rig)).map((l) => l.status).sort()).toEqual(['new', 'new']);
    expect(rig.group.pushes()).toHaveLength(2);
  });

  it('Tencent Ads and a generic form: each answers as its sender expects', async () => {
    rig = await leadsRig();
    const gdt = await rig.deliver('gdt', JSON.stringify({ data: { leads_info: [tencentLead()] } }), { query: `?token=${TOKENS.tencent}` });
    expect(gdt.status).toBe(200);
    expect(JSON.parse(gdt.body)).toEqual({ code: 0, message: 'success' });
    const formBody = JSON.stringify({ id: 'f-1', name: '周八', phone: '021-6123 4567', region: '北京', product: '产品B' });
    const form = await rig.deliver('form', formBody, formAuth(formBody, rig.clock.now()));
    expect(form.status).toBe(200);
    const answer = JSON.parse(form.body) as { code: number; leads: { leadId: string; status: string }[] };
    expect(answer.code).toBe(0);
    expect(answer.leads[0]?.status).toBe('new');
    const rows = await allLeads(rig);
    const tencent = rows.find((l) => l.source === 'gdt')!;
    expect(tencent).toMatchObject({ externalId: '1234567890', name: '王小明', region: '广东省深圳市', phone: { e164: '+8613900001111' } });
    expect(tencent.answers).toMatchObject({ 意向车型: 'A' });
    const generic = rows.find((l) => l.source === 'form')!;
    expect(generic.phone.e164).toBe('+862161234567');
    // No rule matched either: round-robin over all three reps, in config order.
    expect(rows.map((l) => l.assignedTo).sort()).toEqual(['lisi', 'zhaoliu']);
    expect(generic.assignReason).toMatch(/^全部销售 → .+, round-robin$/);
    // A form-encoded post works too.
    const encoded = new URLSearchParams({ name: '吴九', phone: '13700001111', region: '杭州' }).toString();
    const viaForm = await rig.deliver('form', encoded, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...formAuth(encoded, rig.clock.now()).headers },
    });
    expect(viaForm.status).toBe(200);
    expect((await allLeads(rig)).find((l) => l.name === '吴九')?.phone.e164).toBe('+8613700001111');
  });

  it('unclaimed leads escalate to the backup, then the manager, each with a new @, then stop', async () => {
    rig = await leadsRig();
    await pushFeiyu(feiyuClue());
    const job = 'leads-escalate';
    expect(rig.group.bot.jobs().map((j) => j.name)).toContain(job);
    rig.clock.advance(14 * MINUTE);
    await rig.group.bot.runJob(job);
    expect(rig.group.pushes()).toHaveLength(1);
    rig.clock.advance(1 * MINUTE);
    await rig.group.bot.runJob(job);
    await rig.group.settle();
    expect(rig.group.pushes()).toHaveLength(2);
    expect(markdownOf(rig.group.pushes()[1]).content).toMatch(/^<@wangwu> \*\*⏰ 线索 L[0-9A-Z]{8} 超时未认领\*\*，转给 wangwu/);
    rig.clock.advance(15 * MINUTE);
    await rig.group.bot.runJob(job);
    await rig.group.settle();
    expect(markdownOf(rig.group.pushes()[2]).content).toMatch(/^<@boss> /);
    rig.clock.advance(60 * MINUTE);
    await rig.group.bot.runJob(job);
    await rig.group.settle();
    expect(rig.group.pushes()).toHaveLength(3);
    const [lead] = await allLeads(rig);
    expect(lead).toMatchObject({ status: 'new', rep: 'boss', assignedTo: 'lisi', escalationLevel: 2 });
    expect((await actions(rig, lead!.id)).filter((a) => /escalated|unclaimed/.test(a))).toEqual([
      'escalated by system',
      'escalated by system',
    ]);
    // The manager may still claim it from the escalation post.
    const id = claimIdOf(rig.group.pushes()[2]);
    const click = await rig.group.member('boss').clicks('leads', { name: id, value: id });
    expect(click.reply?.content).toContain('13812341234');
    expect((await findLead(rig.ledger, lead!.id))?.claimedBy).toBe('boss');
  });

  it('a rep configured with a mobile is @-mentioned by mentioned_mobile_list, in a text right after the post', async () => {
    rig = await leadsRig({
      config: {
        reps: [
          { userId: 'lisi', name: '李四', mobile: '+86 138-0000-1111' },
          { userId: 'zhaoliu', name: '赵六' },
        ],
      },
    });
    await pushFeiyu(feiyuClue());
    await rig.group.settle();
    const [post, ping] = rig.group.pushes();
    // Markdown cannot mention by mobile: the post carries no <@lisi>, the ping does the @.
    expect(markdownOf(post).content).toMatch(/^\*\*新线索 L[0-9A-Z]{8}\*\*/);
    expect(ping).toEqual({
      chatid: 'wrSALES',
      msgtype: 'text',
      text: { content: expect.stringMatching(/^新线索 L[0-9A-Z]{8} 待认领$/), mentioned_mobile_list: ['13800001111'] },
    });
    expect(rig.group.pushes()).toHaveLength(2);
    // The escalation to the backup (not a rep with a mobile) is a <@userid> again, without a ping.
    rig.clock.advance(15 * MINUTE);
    await rig.group.bot.runJob('leads-escalate');
    await rig.group.settle();
    expect(rig.group.pushes()).toHaveLength(3);
    expect(markdownOf(rig.group.pushes()[2]).content).toMatch(/^<@wangwu> /);
  });

  it('a claimed lead does not escalate; a failed post is retried by the job', async () => {
    rig = await leadsRig();
    rig.fake.failNext(93000, 1);
    await pushFeiyu(feiyuClue());
    expect(rig.group.pushes()).toHaveLength(0);
    const [lead] = await allLeads(rig);
    expect(lead?.postedAt).toBeUndefined();
    await rig.group.bot.runJob('leads-escalate');
    await rig.group.settle();
    expect(rig.group.pushes()).toHaveLength(1);
    const id = claimIdOf(rig.group.pushes()[0]);
    await rig.group.member('lisi').clicks('leads', { name: id, value: id });
    rig.clock.advance(60 * MINUTE);
    await rig.group.bot.runJob('leads-escalate');
    await rig.group.settle();
    expect(rig.group.pushTexts().filter((t) => t.includes('超时'))).toEqual([]);
  });

  it('too late for the passive answer, the number is never pushed (a push’s visible_to_user is unconfirmed)', async () => {
    // An ack budget below the reveal's margin: every answer would go by webhook.
    rig = await leadsRig({ bot: { ackBudgetMs: 100 } });
    await pushFeiyu(feiyuClue());
    const id = claimIdOf(rig.group.pushes()[0]);
    const leadId = id.split(':')[2] as string;
    const click = await rig.group.member('lisi').clicks('leads', { name: id, value: id });
    await rig.group.settle();
    const said = [click.reply?.content ?? '', ...rig.group.pushTexts()].join('\n');
    expect(said).toContain(`线索 ${leadId} 已认领。完整号码请发送：线索 ${leadId}`);
    expect(said).not.toContain('13812341234');
    expect((await findLead(rig.ledger, leadId))?.claimedBy).toBe('lisi');
  });

  it('a slow group post does not hold the answer: the platform gets its success, the post lands after', async () => {
    rig = await leadsRig();
    rig.fake.failNext('slow', 1, { delayMs: 3500 });
    const res = await pushFeiyu(feiyuClue());
    // Answered while the post was still in flight.
    expect(res.status).toBe(200);
    expect(rig.group.pushes()).toHaveLength(0);
    await rig.group.waitForPushes(1, 10_000);
    // The post's bookkeeping is late work of the route: settled, it is recorded.
    await rig.group.settle();
    expect((await allLeads(rig))[0]?.postedAt).toBeDefined();
  });

  it('without a backup or a manager the timer stops once, audited, and nothing is pushed', async () => {
    rig = await leadsRig({ config: { claim: { within: '15m' } } });
    await pushFeiyu(feiyuClue());
    rig.clock.advance(16 * MINUTE);
    await rig.group.bot.runJob('leads-escalate');
    rig.clock.advance(16 * MINUTE);
    await rig.group.bot.runJob('leads-escalate');
    await rig.group.settle();
    expect(rig.group.pushes()).toHaveLength(1);
    const [lead] = await allLeads(rig);
    expect(lead).toMatchObject({ status: 'new', escalateAt: undefined });
    expect((await actions(rig, lead!.id)).filter((a) => a.startsWith('unclaimed'))).toEqual(['unclaimed by system']);
  });
});
