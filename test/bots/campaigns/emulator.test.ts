/**
 * `/campaign-demo`, `/campaign-preview` and `/campaign-run` in `wecombot dev`: the project's config
 * with the tags and campaigns bots, on the emulator (the real signed pipeline over HTTP).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession } from '../../../src/cli/dev/session.js';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'wecombot-campaigns-dev-'));
  writeFileSync(
    join(project, 'wecombot.config.ts'),
    `import { tags, campaigns, campaignsDemoOptions } from ${JSON.stringify(resolve('src/bots/index.ts'))};\nexport default { bots: [tags({ staff: ['you'] }), campaigns(campaignsDemoOptions())] };\n`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('campaigns in wecombot dev', () => {
  it('/campaign-demo previews and delivers; a second run is capped', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      await session.input('/help');
      expect(out.join('\n')).toContain('/campaign-demo');
      await session.input('/campaign-demo');
      const text = out.join('\n');
      expect(text).toContain('已退订');
      expect(text).toContain('demo: 3 recipients, 2 would be sent now');
      expect(text).toMatch(/carol \(卡罗\): rule 1 .* → opted out/);
      expect(text).toContain('爱丽丝，上海 VIP 专享 8 折');
      expect(text).toContain('鲍勃，VIP 专享 9 折');
      expect(text).toMatch(/sent 2, capped 0, opted out 1/);
      out.length = 0;
      await session.input('/campaign-preview');
      expect(out.join('\n')).toMatch(/alice \(爱丽丝\): rule 1 .* → capped \(1 per day\)/);
    } finally {
      await session.close();
    }
  });
});
