import { defineBotModule, type ModuleServices } from '../../bot/module.js';
import { claim, leadCommand } from './chat.js';
import { parseLeadsConfig, type LeadsConfig, type LeadsConfigInput } from './config.js';
import { LeadsDesk } from './desk.js';
import { leadsEmulatorCommands } from './emulator.js';
import { intakeRoute } from './intake/route.js';
import { claimTimerJob } from './job.js';
import { COMMAND, NAMESPACE } from './messages.js';
import { leadMigrations } from './records/schema.js';

/** One desk per installed module: setup, routes and jobs share it. */
const desks = new WeakMap<ModuleServices, LeadsDesk>();
export function deskFor(services: ModuleServices, config: LeadsConfig): LeadsDesk {
  let desk = desks.get(services);
  if (!desk) {
    const now = config.now ?? (() => services.clock.now());
    // lead.created goes to the other modules of the bot (the tags bot's "lead from source Z").
    desk = new LeadsDesk(services.store, (t) => services.table(t), config, now, services.log, services.events, services.webhookUrl);
    desks.set(services, desk);
  }
  return desk;
}

/**
 * The `leads` bot: ad-campaign leads into the sales group. `POST /leads/:source` takes Tencent
 * Ads, Ocean Engine 飞鱼 and generic form pushes, each verified as its platform does it; a lead
 * is stored once (replays and repeats by phone are attached, not reposted), assigned by rules
 * then round-robin or least-loaded among the reps on duty, and posted with the phone masked,
 * an @ of the rep and a 认领 button. The claimer alone sees the full phone. Unclaimed after
 * `claim.within`, the lead goes to the backup, then the manager, each with a new @.
 *
 * @example
 * // wecombot.config.ts
 * export default defineConfig({
 *   bots: [
 *     leads({
 *       group: { webhook: process.env.SALES_WEBHOOK! },
 *       sources: { feiyu: { kind: 'feiyu', token: process.env.FEIYU_TOKEN! } },
 *       reps: [{ userId: 'lisi', name: '李四' }, { userId: 'wangwu', name: '王五', shift: '09:00-18:00' }],
 *       rules: [{ region: '上海', product: '产品A', reps: ['lisi'] }],
 *       claim: { within: '15m', backup: 'wangwu', manager: 'boss' },
 *     }),
 *   ],
 * });
 */
export const leads = defineBotModule({
  name: 'leads',
  options: (input: LeadsConfigInput) => parseLeadsConfig(input),
  consumes: { commands: [COMMAND], buttons: [NAMESPACE] },
  migrations: leadMigrations,
  setup(m, config, services) {
    const desk = deskFor(services, config);
    m.action(/^claim:(L[0-9A-Z]{4,16})$/, (ctx) => claim(ctx, desk, ctx.match[1] as string));
    m.command(COMMAND, (ctx) => leadCommand(ctx, desk, ctx.match));
  },
  routes: (config, services) => {
    const desk = deskFor(services, config);
    return [intakeRoute(desk, desk.ledger.now)];
  },
  jobs: (config, services) => [claimTimerJob(deskFor(services, config))],
  emulator: (config, services) => leadsEmulatorCommands(config, deskFor(services, config)),
});
