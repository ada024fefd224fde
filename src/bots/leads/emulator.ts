/**
 * `/leads-demo` in `wecombot dev` (`npm start`): a web-form lead is POSTed to the real intake
 * route (signed like a form tool would sign it), posted in the sales group with the phone
 * masked and an @ of the rep the rules chose; the rep clicks 认领 and alone sees the full
 * phone; a second lead is left unclaimed, its claim time is up, and the claim-timer job hands
 * it to the backup with a new @. `/lead [region] [product]` posts one more.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorApi, EmulatorCommand } from '../../bot/emulator.js';
import { botRequest, type BotRequest, type BotResponse } from '../../bot/request.js';
import type { LeadsConfig, LeadsConfigInput } from './config.js';
import type { LeadsDesk } from './desk.js';
import { genericSignature } from './intake/verify.js';
import { claimButtonId } from './messages.js';
import { ledgerDb } from './records/rows.js';
import { findLead } from './records/status.js';

/**
 * The demo's options: a signed form source, three reps (one on a rule), a backup and a manager
 * (you, the emulator's member). Without `webhook` the posts go to WECOM_WEBHOOK_URL, which is
 * the emulator's chat.
 */
export function leadsDemoOptions(webhook?: string): LeadsConfigInput {
  return {
    ...(webhook ? { group: { webhook } } : {}),
    sources: { form: { kind: 'generic', secret: randomBytes(18).toString('base64url') } },
    reps: [
      { userId: 'lisi', name: '李四' },
      { userId: 'zhaoliu', name: '赵六' },
      { userId: 'wangwu', name: '王五' },
    ],
    rules: [{ region: '上海', product: '产品A', reps: ['lisi'] }],
    claim: { within: '15m', backup: 'wangwu', manager: 'you' },
  };
}

type Handler = { handle(req: BotRequest): Promise<BotResponse> };

/** POSTs one signed form lead to the intake, as a form tool would. */
async function postLead(emulator: EmulatorApi, config: LeadsConfig, lead: Record<string, unknown>): Promise<string | undefined> {
  const bot = emulator.bot as unknown as Partial<Handler>;
  const source = [...config.sources.values()].find((s) => s.kind === 'generic');
  if (typeof bot.handle !== 'function' || !source) {
    emulator.print('(this bot has no generic lead source to post to)');
    return undefined;
  }
  const body = JSON.stringify(lead);
  const ts = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (source.secret) Object.assign(headers, { 'x-timestamp': ts, 'x-signature': genericSignature(source.secret, ts, body) });
  const query = source.token ? `?token=${encodeURIComponent(source.token)}` : '';
  const res = await bot.handle(
    botRequest({ method: 'POST', url: `/leads/${source.name}${query}`, headers, body, remoteAddress: '127.0.0.1' }),
  );
  await res.pending;
  emulator.print(`POST /leads/${source.name} → ${res.status} ${res.body}`);
  // The group post went out through the webhook: the emulator's chat prints pushes when flushed.
  await (emulator as Partial<{ flush(): Promise<void> }>).flush?.();
  try {
    return (JSON.parse(res.body) as { leads?: { leadId: string }[] }).leads?.[0]?.leadId;
  } catch {
    return undefined;
  }
}

const phone = () => `1${3 + ((randomBytes(1)[0] ?? 0) % 7)}${Array.from(randomBytes(9), (b) => b % 10).join('')}`;

export function leadsEmulatorCommands(config: LeadsConfig, desk: LeadsDesk): EmulatorCommand[] {
  const step = (emulator: EmulatorApi, line: string) => emulator.print(`\n— ${line} —`);
  return [
    {
      name: 'leads-demo',
      description: '演示线索：表单线索进群 @销售、认领后仅认领人可见完整号码、超时转给备份 (a lead posted, claimed, escalated)',
      async run(_args, emulator) {
        step(emulator, '一条上海 · 产品A 的表单线索推送到 POST /leads/form：按规则分给李四');
        const first = await postLead(emulator, config, {
          id: `demo-${randomBytes(4).toString('hex')}`,
          name: '张三',
          phone: phone(),
          region: '上海',
          product: '产品A',
        });
        const lead = first ? await findLead(desk.ledger, first) : undefined;
        if (!lead) return;
        step(emulator, `${lead.rep} 点「认领」：完整号码只有 ta 能看到`);
        await emulator.member(lead.rep ?? 'lisi').click(claimButtonId(lead.id));
        step(emulator, '同一号码 10 分钟后又提交了一次：记为重复，不再发群');
        await postLead(emulator, config, {
          id: `demo-${randomBytes(4).toString('hex')}`,
          name: '张三',
          phone: lead.phone.raw,
          region: '上海',
          product: '产品A',
        });
        step(emulator, '一条北京的线索：轮流分配 (round-robin)');
        const second = await postLead(emulator, config, {
          id: `demo-${randomBytes(4).toString('hex')}`,
          name: '孙七',
          phone: phone(),
          region: '北京',
          product: '产品B',
        });
        if (!second) return;
        step(
          emulator,
          `没人认领，${Math.round(config.claim.withinMs / 60_000)} 分钟过去了（演示：把认领期限提前到现在），认领计时任务转给备份`,
        );
        await ledgerDb(desk.ledger)
          .updateTable(desk.ledger.t.leads)
          .set({ escalate_at: desk.ledger.now() })
          .where('id', '=', second)
          .execute();
        await emulator.runJob(config.job.name);
        emulator.print(
          `\n(/run ${config.job.name} 再次超时会转给经理；wecombot leads ls 查看线索，wecombot leads show ${second} 看审计记录)`,
        );
      },
    },
    {
      name: 'lead',
      description: '推送一条测试线索 (post a test lead)',
      usage: '[region] [product]',
      async run(args, emulator) {
        const [region, product] = args.trim().split(/\s+/);
        await postLead(emulator, config, {
          name: '测试客户',
          phone: phone(),
          region: region || '广州',
          product: product || '产品B',
          id: `t-${randomBytes(4).toString('hex')}`,
        });
      },
    },
  ];
}
