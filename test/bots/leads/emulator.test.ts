/**
 * `/leads-demo` in `wecombot dev`: the project's config with the leads bot, on the emulator
 * (the real signed pipeline over HTTP): a form lead through the real intake route, posted with
 * the @ of the rep the rule chose and the phone masked; the rep claims it and alone sees the
 * number; a repeat is not reposted; a second lead escalates to the backup with a new @.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession } from '../../../src/cli/dev/session.js';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'wecombot-leads-dev-'));
  writeFileSync(
    join(project, 'wecombot.config.ts'),
    `import { leads, leadsDemoOptions } from ${JSON.stringify(resolve('src/bots/index.ts'))};\nexport default { bots: [leads(leadsDemoOptions())] };\n`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('leads in wecombot dev', () => {
  it('/leads-demo: posted with the @, claimed, a repeat kept quiet, another escalated', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      await session.input('/help');
      expect(out.join('\n')).toContain('/leads-demo');
      await session.input('/leads-demo');
      const text = out.join('\n');
      const at = (needle: string | RegExp) => {
        const i = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
        expect(i, String(needle)).toBeGreaterThan(-1);
        return i;
      };
      const steps = [
        at(/POST \/leads\/form → 200 .*"status":"new"/),
        at('@lisi'),
        at('上海 + 产品A → 李四, round-robin'),
        at(/线索 L[0-9A-Z]{8}：张三 1[3-9]\d{9}/),
        at(/✅ 线索 L[0-9A-Z]{8} 已由 李四 认领/),
        at(/"status":"repeat"/),
        at(/全部销售 → (赵六|王五|李四), round-robin/),
        at('@wangwu'),
        at('超时未认领'),
      ];
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
      // The group saw the number masked only.
      const groupLines = text.split('\n').filter((l) => l.includes('客户：'));
      expect(groupLines.join('\n')).not.toMatch(/1[3-9]\d{9}/);
    } finally {
      await session.close();
    }
  }, 60_000);
});
