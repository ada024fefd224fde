/** `wecombot dev`'s corp side: /customer and /join through the fake corp API and real corp callbacks over HTTP. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession } from '../../../src/cli/dev/session.js';

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'wecombot-dev-corp-'));
  writeFileSync(
    join(project, 'wecombot.config.ts'),
    `import { defineConfig } from ${JSON.stringify(resolve('src/config/define.ts'))};
export default defineConfig({
  setup(bot) {
    bot.on('customer:add', (ctx) => ctx.sendWelcome({ text: '欢迎 ' + ctx.message.externalUserId + ' (' + (ctx.message.state ?? '-') + ')', attachments: [{ msgtype: 'link', link: { title: '礼包', url: 'https://example.com/g' } }] }));
    bot.on('group:join', (ctx) => ctx.log.warn({ members: ctx.message.memberIds, chatId: ctx.chatId }, 'joined'));
  },
});
`,
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('wecombot dev: corp events', () => {
  it('/customer fires customer:add with a WelcomeCode and shows the welcome the fake accepted; /join fires group:join', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      for (const line of ['/customer zhangsan wmDEV1 poster', '/join wmDEV1 wrGROUP', '/customer', '/help']) await session.input(line);
      const text = out.join('\n');
      expect(text).toMatch(/corp app: fake corp API http:\/\/127\.0\.0\.1:\d+, callbacks at http:\/\/127\.0\.0\.1:\d+\/wecom\/corp/);
      expect(text).toContain('(corp callback customer:add wmDEV1 → staff zhangsan (state poster): answered success)');
      expect(text).toContain('bot (send_welcome_msg to wmDEV1) ›\n  欢迎 wmDEV1 (poster)\n  [attachments: link]');
      expect(text).toContain('(corp callback group:join wmDEV1 → group wrGROUP: answered success)');
      expect(text).toMatch(/joined.*wmDEV1|wmDEV1.*joined/);
      expect(text).toContain('! /customer takes the staff userid');
      expect(text).toContain('/customer <staff> [external_userid] [state]');
      expect(text).toContain('/join <external_userid> [chat_id]');
    } finally {
      await session.close();
    }
  });
});
