/** `npm start`: preview a campaign, run it now, and read its delivery report, in the emulator. */
import type { EmulatorCommand } from '../../bot/emulator.js';
import type { CampaignsConfig, CampaignsConfigInput } from './config.js';
import { formatPreview, formatReport } from './format.js';
import type { CampaignRunner } from './runner.js';

/** The demo's campaign (`npm start` without a config): VIP members in Shanghai first, other VIPs after. */
export function campaignsDemoOptions(): CampaignsConfigInput {
  return {
    quietHours: false,
    caps: { perDay: 1, perWeek: 3 },
    campaigns: [
      {
        name: 'demo',
        schedule: '0 0 10 * * 1',
        vars: { link: 'https://shop.example.com/spring' },
        rules: [
          { segment: 'VIP and 上海 and not 已购', offer: '{name}，上海 VIP 专享 8 折：{link}' },
          { segment: 'VIP and not 已购', offer: '{name}，VIP 专享 9 折：{link}' },
        ],
      },
    ],
  };
}

/** `/campaign-demo`: three members speak, get tags, one opts out; then the preview, the run and its report. */
function demoCommand(config: CampaignsConfig, runner: () => Promise<CampaignRunner>): EmulatorCommand {
  return {
    name: 'campaign-demo',
    description: 'tag three members, one says 退订, then preview and run the first campaign',
    run: async (_args, emulator) => {
      const r = await runner();
      const people: [string, string, string[]][] = [
        ['alice', '爱丽丝', ['VIP', '上海']],
        ['bob', '鲍勃', ['VIP']],
        ['carol', '卡罗', ['VIP', '上海']],
      ];
      for (const [id, name, list] of people) {
        await emulator.member(id, name).says('你好');
        await r.book.add(id, list, { actor: 'emulator', via: 'cli' });
      }
      emulator.print('tagged: alice VIP 上海 · bob VIP · carol VIP 上海; carol says 退订:');
      await emulator.member('carol', '卡罗').says('退订');
      const name = config.campaigns[0]?.name ?? '';
      emulator.print(formatPreview(await r.preview(name)));
      const outcome = await r.run(name, Math.floor(Date.now() / 60_000) * 60_000);
      emulator.print(formatReport(outcome.report));
      emulator.print('run it again: the frequency cap (1 a day) holds → /campaign-run');
    },
  };
}

export function campaignEmulatorCommands(config: CampaignsConfig, runner: () => Promise<CampaignRunner>): EmulatorCommand[] {
  const first = config.campaigns[0]?.name ?? '';
  const pick = (args: string) => args.trim() || first;
  return [
    demoCommand(config, runner),
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
