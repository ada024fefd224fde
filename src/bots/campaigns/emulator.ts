/** `npm start`: preview a campaign, run it now, and read its delivery report, in the emulator. */
import type { EmulatorCommand } from '../../bot/emulator.js';
import type { CampaignsConfig } from './config.js';
import { formatPreview, formatReport } from './format.js';
import type { CampaignRunner } from './runner.js';

export function campaignEmulatorCommands(config: CampaignsConfig, runner: () => Promise<CampaignRunner>): EmulatorCommand[] {
  const first = config.campaigns[0]?.name ?? '';
  const pick = (args: string) => args.trim() || first;
  return [
    {
      name: 'campaign-preview',
      description: 'dry run of a campaign: who gets what, and why',
      usage: '[name]',
      run: async (args, emulator) => emulator.print(formatPreview(await (await runner()).preview(pick(args)))),
    },
    {
      name: 'campaign-run',
      description: 'run a campaign now (guardrails apply), then show its delivery report',
      usage: '[name]',
      run: async (args, emulator) => {
        const r = await runner();
        const outcome = await r.run(pick(args), Date.now());
        emulator.print(
          `${outcome.status === 'deferred' ? 'quiet hours: the run waits for them to end\n' : ''}${formatReport(outcome.report)}`,
        );
      },
    },
    {
      name: 'campaign-report',
      description: "a campaign's delivery report (latest run)",
      usage: '[name]',
      run: async (args, emulator) => emulator.print(formatReport(await (await runner()).report(pick(args)))),
    },
  ];
}
