import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession } from '../../../src/cli/dev/session.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wecombot-dev-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'deploy.md'), '# 部署指南\n\n## 云函数\n\n使用 wecombot build 生成函数包，然后部署到云函数 SCF。\n');
  writeFileSync(join(dir, 'docs', 'limits.md'), '# Limits\n\nA robot sends at most 20 messages per minute.\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wecombot dev session', () => {
  it('answers typed lines through the signed pipeline and pushes the weather on /weather', async () => {
    const lines: string[] = [];
    const session = await startDevSession({ cwd: dir, docsDir: join(dir, 'docs'), env: {}, offlineWeather: true, print: (l) => lines.push(l) });
    try {
      expect(session.mode).toBe('fake');
      await session.input('ping');
      await session.input('部署 云函数');
      await session.input('/weather');
      expect(await session.input('/quit')).toBe(false);
    } finally {
      await session.close();
    }
    const out = lines.join('\n');
    expect(out).toMatch(/passive reply, text, \d+ ms\) ›\n {2}pong/);
    expect(out).toContain('部署指南');
    expect(out).toMatch(/webhook push, markdown\) ›[\s\S]*今日天气[\s\S]*离线示例数据/);
  });
});

describe('npm start script mode', () => {
  it('runs a scripted chat against the project docs and shows a real answer', () => {
    const script = join(dir, 'chat.txt');
    writeFileSync(script, '# scripted demo\nping\n如何部署到 SCF\n');
    const out = execFileSync(process.execPath, [join(process.cwd(), 'bin/wecombot.js'), 'dev', '--script', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, WECOM_TOKEN: '', WECOM_WEBHOOK_URL: '' },
    });
    expect(out).toContain('pong');
    expect(out).toMatch(/部署到腾讯云函数 SCF/);
  });
});
