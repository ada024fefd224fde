import { defineBotModule, type ModuleServices } from '../../bot/module.js';
import { parseCampaignsConfig, type CampaignsConfig, type CampaignsConfigInput } from './config.js';
import { campaignEmulatorCommands } from './emulator.js';
import { openCampaignRunner } from './open.js';
import { optOut } from './opt-out.js';
import type { CampaignRunner } from './runner.js';
import { campaignMigrations } from './schema.js';

/** One runner per installed module: setup, jobs and the emulator share it (and its webhook client). */
const runners = new WeakMap<ModuleServices, Promise<CampaignRunner>>();
function runnerFor(services: ModuleServices, config: CampaignsConfig): Promise<CampaignRunner> {
  let r = runners.get(services);
  if (!r) {
    r = openCampaignRunner(services.store, config, services.log, { now: () => services.clock.now() });
    runners.set(services, r);
  }
  return r;
}

/** The job of a campaign: `campaign-<name>`. */
export const campaignJobName = (name: string): string => `campaign-${name}`.slice(0, 60);

/**
 * The `campaigns` bot: targeted offers to tag segments. A campaign is a segment → offer rule
 * table run on a schedule (cron, or once `at`); each recipient gets the offer of the first rule
 * whose segment they are in, @-mentioned in the group they were last seen in (or only visible to
 * them, or per customer through add_msg_template when the corp API is configured). Guardrails hold
 * across every campaign and instance: a frequency cap per customer, `退订`/`TD` at once, quiet
 * hours. Everything goes through the webhook client's limiter, retries and durable outbox, so a
 * crash mid-run resumes where it stopped. Works on the tags of the `tags` bot.
 *
 * @example
 * campaigns({
 *   caps: { perDay: 1, perWeek: 3 },
 *   quietHours: { from: '21:00', to: '09:00' },
 *   campaigns: [{
 *     name: 'spring',
 *     schedule: '0 0 10 * * 1',
 *     vars: { link: 'https://shop.example.com/spring' },
 *     rules: [
 *       { segment: 'VIP and 上海 and not 已购', offer: '{name}，上海 VIP 专享 8 折：{link}' },
 *       { segment: 'VIP and not 已购', offer: '{name}，VIP 9 折：{link}' },
 *     ],
 *   }],
 * })
 */
export const campaigns = defineBotModule({
  name: 'campaigns',
  options: (input: CampaignsConfigInput) => parseCampaignsConfig(input),
  migrations: campaignMigrations,
  async setup(m, config, services) {
    const runner = await runnerFor(services, config);
    const words = new Set(config.optOutWords.map((w) => w.toLowerCase()));
    // An opt-out is the whole message (`退订`, `TD`, `td`), not a word inside a sentence.
    m.on('text', async (ctx, next) => {
      const said = ctx.text
        .trim()
        .replace(/^[/／]/u, '')
        .toLowerCase();
      if (!words.has(said)) return next();
      await optOut(ctx, runner, ctx.text.trim());
    });
  },
  jobs: (config, services) => [
    ...config.campaigns.map((c) => ({
      name: campaignJobName(c.name),
      schedule: c.schedule,
      timezone: config.timezone,
      attempts: 3,
      handler: async (job: { firedAt: Date; log: { info: (o: object, m: string) => void } }) => {
        const outcome = await (await runnerFor(services, config)).run(c.name, job.firedAt.getTime());
        job.log.info({ ...outcome.report, status: outcome.status }, 'campaigns: run');
      },
    })),
    {
      name: config.sweep.name,
      schedule: config.sweep.schedule,
      timezone: config.timezone,
      handler: async () => void (await (await runnerFor(services, config)).sweep()),
    },
  ],
  emulator: (config, services) => campaignEmulatorCommands(config, () => runnerFor(services, config)),
});

/** The runner of an installed campaigns module (tests, the emulator). */
export { runnerFor as campaignRunnerFor };
