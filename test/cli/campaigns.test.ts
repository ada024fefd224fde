/**
 * `wecombot campaigns preview|report|runs|optouts|optout|optin`: the campaigns of the config,
 * on the store the bots wrote (members tagged and reached through the test kit).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { campaigns } from '../../src/bots/campaigns/module.js';
import { tags } from '../../src/bots/tags/module.js';
import { openStore } from '../../src/store/index.js';
import { createTestGroup } from '../../src/testing/fake-group/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-campaigns-cli-'));
const url = `sqlite:${path.join(dir, 'bot.db')}`;
const options = {
  quietHours: false as const,
  campaigns: [
    { name: 'spring', schedule: '0 * * * * *', rules: [{ segment: 'VIP and not 已购', offer: '{name}，VIP 专享' }] },
    { name: 'empty', schedule: '0 * * * * *', rules: [{ segment: '没人有', offer: 'x' }] },
  ],
};
const config = path.join(dir, 'wecombot.config.ts');
writeFileSync(
  config,
  `import { campaigns } from ${JSON.stringify(path.resolve('src/bots/campaigns/module.ts'))};
export default { bots: [campaigns(${JSON.stringify(options)})] };
`,
);
const bad = path.join(dir, 'bad.config.ts');
writeFileSync(
  bad,
  `import { campaigns } from ${JSON.stringify(path.resolve('src/bots/campaigns/module.ts'))};
export default { bots: [campaigns({ campaigns: [{ name: 'x', schedule: '0 * * * * *', rules: [{ segment: 'VIP and (上海', offer: 'x' }] }] })] };
`,
);

beforeAll(async () => {
  const store = await openStore({ databaseUrl: url });
  const group = await createTestGroup({ store, bots: [tags({ staff: ['boss'] }), campaigns(options)] });
  for (const m of ['a', 'b', 'c']) await group.member(m, { name: `名${m}` }).says('@bot hi');
  await group.member('boss').says('@bot /tag a VIP');
  await group.member('boss').says('@bot /tag b VIP 已购');
  await group.member('boss').says('@bot /tag c VIP');
  await group.member('c').says('@bot 退订');
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  await group.bot.runJob('campaign-spring', minute);
  await group.close();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wecombot campaigns', () => {
  it('preview lists who gets what and why; report counts the run; optouts lists 退订', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    vi.stubEnv('WECOM_CORP_ID', '');
    const preview = await runCli('campaigns', 'preview', 'spring', '--config', config);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('spring: 2 recipients, 0 would be sent now');
    expect(preview.stdout).toMatch(/- a \(名a\): rule 1 \[VIP and not 已购\] via group → capped \(1 per day\)/);
    expect(preview.stdout).toMatch(/- c \(名c\): rule 1 .* → opted out/);
    const report = JSON.parse((await runCli('campaigns', 'report', 'spring', '--config', config, '--json')).stdout);
    expect(report).toMatchObject({ campaign: 'spring', recipients: 2, sent: 1, optedOut: 1, capped: 0, failed: 0, pending: 0 });
    expect((await runCli('campaigns', 'optouts', '--config', config)).stdout).toMatch(/^c {2}\S+ {2}退订\n$/);
    expect((await runCli('campaigns', 'optin', 'c', '--config', config)).stdout).toBe('c receives campaigns again\n');
    expect((await runCli('campaigns', 'optout', 'c', '--config', config)).stdout).toBe('c opted out\n');
    const empty = await runCli('campaigns', 'preview', 'empty', '--config', config);
    expect(empty.stdout).toContain('empty: 0 recipients');
    expect(empty.stdout).toContain('note: no one carries 没人有');
  });

  it('an unknown campaign is a usage error (exit 2); a segment that does not parse stops with its position; --help names the environment', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const unknown = await runCli('campaigns', 'report', 'nope', '--config', config);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no campaign "nope"');
    const broken = await runCli('campaigns', 'preview', 'x', '--config', bad);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/position 12: expected "\)" to close the "\(" at position 9/);
    const help = await runCli('campaigns', 'preview', '--help');
    expect(help.stdout).toContain('WECOMBOT_DATABASE_URL');
  });
});
