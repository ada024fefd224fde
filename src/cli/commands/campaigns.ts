import type { Command } from 'commander';
import pino from 'pino';
import type { BotModule } from '../../bot/module.js';
import type { CampaignsConfig } from '../../bots/campaigns/config.js';
import { formatPreview, formatReport } from '../../bots/campaigns/format.js';
import { openCampaignRunner } from '../../bots/campaigns/open.js';
import type { CampaignRunner } from '../../bots/campaigns/runner.js';
import { loadConfig } from '../../config/load.js';
import { WecombotError } from '../../errors.js';
import { openStoreFromEnv } from '../../store/open.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

const NOTE = `
Campaigns are those of the campaigns bot in wecombot.config (--config to name another file);
tags, opt-outs and deliveries are read from the store of the running bots:
WECOMBOT_DATABASE_URL (and WECOMBOT_STORE_NAMESPACE if the bots set one).`;

const usage = (message: string, hint?: string) => new WecombotError('cli_usage', message, { hint });

/** The campaigns options of the config's `campaigns` module. */
async function campaignsConfig(path: string | undefined): Promise<CampaignsConfig> {
  const { config } = await loadConfig({ path });
  const module = (config.bots ?? []).find((b: BotModule) => b.name === 'campaigns');
  if (!module)
    throw usage('the config installs no campaigns bot', 'add campaigns({ campaigns: [...] }) to bots in wecombot.config, or pass --config');
  return module.options as CampaignsConfig;
}

async function withRunner<T>(
  configPath: string | undefined,
  work: (runner: CampaignRunner, config: CampaignsConfig) => Promise<T>,
): Promise<T> {
  const config = await campaignsConfig(configPath);
  const store = await openStoreFromEnv();
  const runner = await openCampaignRunner(store, config, pino({ level: 'silent' }));
  try {
    return await work(runner, config);
  } finally {
    await runner.close();
    await store.close();
  }
}

function known(runner: CampaignRunner, config: CampaignsConfig, name: string): string {
  if (!runner.campaign(name)) throw usage(`no campaign "${name}"`, `the config has ${config.campaigns.map((c) => c.name).join(', ')}`);
  return name;
}

/** `wecombot campaigns preview|report|runs|optouts|optout|optin`. */
export function registerCampaignsCommand(program: Command): void {
  const campaigns = program
    .command('campaigns')
    .description('the campaigns bot: dry runs, delivery reports, opt-outs')
    .addHelpText('after', NOTE);
  const withConfig = (c: Command) => c.option('-c, --config <file>', 'the config file (default wecombot.config.*)');

  withConfig(
    campaigns
      .command('preview')
      .description('dry run: who would get what now, by which rule, and why not (capped, opted out, unreachable); nothing is sent')
      .argument('<name>', 'the campaign')
      .option('--json', 'print JSON'),
  ).action(async (name: string, flags: { config?: string; json?: boolean }) => {
    await withRunner(flags.config, async (runner, config) => {
      const preview = await runner.preview(known(runner, config, name));
      process.stdout.write(flags.json ? `${JSON.stringify(preview, null, 2)}\n` : `${formatPreview(preview)}\n`);
    });
  });

  withConfig(
    campaigns
      .command('report')
      .description('the delivery report of a run (default the latest): sent, capped, opted out, unreachable, failed by errcode, pending')
      .argument('<name>', 'the campaign')
      .option('--run <id>', 'a run id from wecombot campaigns runs')
      .option('--json', 'print JSON'),
  ).action(async (name: string, flags: { config?: string; run?: string; json?: boolean }) => {
    await withRunner(flags.config, async (runner, config) => {
      const report = await runner.report(known(runner, config, name), flags.run);
      if (flags.run && !report.firedAt) throw usage(`no run "${flags.run}"`, 'wecombot campaigns runs lists them');
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    });
  });

  withConfig(
    campaigns
      .command('runs')
      .description('the latest runs (of one campaign), newest first')
      .argument('[name]', 'the campaign')
      .option('--json', 'print JSON'),
  ).action(async (name: string | undefined, flags: { config?: string; json?: boolean }) => {
    await withRunner(flags.config, async (runner, config) => {
      const runs = await runner.ledger.runs(name ? known(runner, config, name) : undefined);
      if (flags.json) return void process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      if (runs.length === 0) return void process.stdout.write('no runs yet\n');
      for (const r of runs) process.stdout.write(`${r.id}  ${r.status}  ${r.matched} recipients\n`);
    });
  });

  withConfig(
    campaigns.command('optouts').description('members and customers who opted out (退订/TD), oldest first').option('--json', 'print JSON'),
  ).action(async (flags: { config?: string; json?: boolean }) => {
    await withRunner(flags.config, async (runner) => {
      const list = await runner.ledger.optOuts();
      if (flags.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      if (list.length === 0) return void process.stdout.write('no one opted out\n');
      for (const o of list) process.stdout.write(`${o.subject}  ${new Date(o.at).toISOString()}  ${o.via}\n`);
    });
  });

  withConfig(
    campaigns
      .command('optout')
      .description('opt a subject out of every campaign (as 退订 would)')
      .argument('<subject>', 'userid or external userid'),
  ).action(async (subject: string, flags: { config?: string }) => {
    await withRunner(flags.config, async (runner) => {
      const fresh = await runner.ledger.optOut(subject, 'cli');
      const recalled = await runner.sender.recall(subject);
      process.stdout.write(
        `${subject} ${fresh ? 'opted out' : 'was already opted out'}${recalled ? `; ${recalled} pending offers withdrawn` : ''}\n`,
      );
    });
  });

  withConfig(
    campaigns
      .command('optin')
      .description('take back an opt-out (only when the person asked for it)')
      .argument('<subject>', 'userid or external userid'),
  ).action(async (subject: string, flags: { config?: string }) => {
    await withRunner(flags.config, async (runner) => {
      if (!(await runner.ledger.optIn(subject))) throw usage(`${subject} had not opted out`);
      process.stdout.write(`${subject} receives campaigns again\n`);
    });
  });

  withEnvAll(campaigns, [...ENV_HELP.store, ...ENV_HELP.corpApi]);
}
