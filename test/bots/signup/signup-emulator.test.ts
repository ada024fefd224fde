/**
 * `/signup-demo` in `wecombot dev`: the project's config with the signup bot, on the emulator
 * (the real signed pipeline over HTTP): the activity fills up, the waitlist is promoted with
 * an @-mention, one confirms, one declines and the next is asked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession } from '../../../src/cli/dev/session.js';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'wecombot-signup-dev-'));
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'wecombot.config.ts'),
    `import { signup } from ${JSON.stringify(resolve('src/bots/index.ts'))};\nexport default { bots: [signup({ staff: ['you'] })] };\n`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('signup in wecombot dev', () => {
  it('/signup-demo shows a sign-up filling up with a waitlist promotion', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      await session.input('/help');
      expect(out.join('\n')).toContain('/signup-demo');
      await session.input('/signup-demo');
      const text = out.join('\n');
      const at = (needle: string) => {
        const i = text.indexOf(needle);
        expect(i, needle).toBeGreaterThan(-1);
        return i;
      };
      // In order: filled, waitlisted, duplicate, cancelled, offers to the two next, confirmed, declined, passed on.
      const steps = [
        '编号是 1，已报 1/3',
        '编号是 2（共 2 人），已报 3/3',
        '候补名单第 3 位',
        '你已经报名了「周六读书会（演示）」，编号 1',
        '已取消「周六读书会（演示）」的报名',
        '@wangwu 🎉',
        '@zhaoliu 🎉',
        '已确认！你将参加',
        '已取消「周六读书会（演示）」的候补名额',
        '@sunqi 🎉',
        '1. 张**',
      ].map(at);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    } finally {
      await session.close();
    }
  }, 60_000);
});
