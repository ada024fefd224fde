/**
 * The welcome bot in `wecombot dev`, from a config: `/welcome-demo` shows a newcomer's welcome
 * with their coupon, visible to them only, and 我的券 the same code again; the emulator's
 * `/customer` fires a corp customer:add, welcomed privately with a code through
 * send_welcome_msg. Everything over HTTP, signed and encrypted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession } from '../../../src/cli/dev/session.js';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'wecombot-dev-welcome-'));
  writeFileSync(
    join(project, 'wecombot.config.ts'),
    `import { welcome, welcomeDemoOptions } from ${JSON.stringify(resolve('src/bots/index.ts'))};
export default { bots: [welcome(welcomeDemoOptions())] };
`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('wecombot dev: the welcome bot', () => {
  it('/welcome-demo shows a welcome with a coupon; /customer welcomes a new customer privately with one', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      await session.input('/welcome-demo 小新');
      const demo = out.join('\n');
      const code = /欢迎 小新 加入！有问题随时 @我。\n.*🎁 你的新人券：(DEMO-[2-9A-HJ-NP-Z]{6})/.exec(demo)?.[1];
      expect(code).toBeDefined();
      expect(demo).toContain(`你的新人券：${code}`);
      expect(demo.split(code!).length - 1).toBeGreaterThanOrEqual(2); // the welcome, then 我的券
      // A passive reply: the one channel where visible_to_user holds (the emulator does not print the field).
      expect(demo).toMatch(/bot \(passive reply, text, \d+ ms\) ›\n {2}欢迎 小新/);

      out.length = 0;
      await session.input('/customer zhangsan wmDEVNEW spring-poster');
      const corp = out.join('\n');
      expect(corp).toMatch(/bot \(send_welcome_msg to wmDEVNEW\) ›\n {2}欢迎扫码春季海报来的 .+！\n🎁 春季新人券：DEMO-[2-9A-HJ-NP-Z]{6}/);
    } finally {
      await session.close();
    }
  });
});
