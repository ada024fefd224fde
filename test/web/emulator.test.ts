/**
 * The web emulator in a real browser: playwright-core driving Debian's chromium against
 * `wecombot dev --web` on a project config. Under CI=true a browser that cannot start fails
 * the suite; elsewhere the suite is skipped with the reason.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebEmulator, type WebEmulator } from '../../src/cli/dev/web/start.js';
import { replayTranscriptScript } from '../../src/cli/dev/web/dev-web.js';
import { makeProject } from './project.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser | undefined;
let reason = '';
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
} catch (err) {
  reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  if (process.env.CI === 'true') throw new Error(`Chromium (${CHROMIUM}) cannot start under CI: ${reason}`);
  console.warn(`skipping the web emulator browser tests: Chromium (${CHROMIUM}) cannot start: ${reason}`);
}

// The docs' screenshots are refreshed with WECOMBOT_DOCS_SCREENSHOTS=1; other runs take them
// too, into a temporary directory, so that a test run leaves the committed images alone.
const shots =
  process.env.WECOMBOT_DOCS_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'images') : mkdtempSync(join(tmpdir(), 'wecombot-shots-'));

describe.skipIf(!browser)('wecombot dev --web in Chromium', () => {
  let project: string;
  let emulator: WebEmulator;
  let page: Page;

  beforeAll(async () => {
    project = makeProject();
    emulator = await startWebEmulator({ cwd: project, env: {}, print: () => {} });
    page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(emulator.url);
    await page.getByTestId('composer-input').waitFor();
  });

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await emulator?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const bot = () => page.locator('[data-testid=message][data-sender=bot]');
  async function say(text: string, robot: 'group' | 'aibot' = 'group') {
    await page.getByTestId('robot-select').selectOption(robot);
    await page.getByTestId('composer-input').fill(text);
    await page.getByTestId('send').click();
  }
  async function viewAs(userId: string) {
    await page.getByTestId('viewer-select').selectOption(userId);
    await expect.poll(() => emulator.chat.state().viewer.userId).toBe(userId);
  }

  it('sends a message and shows the reply, with the signed request in the inspector', async () => {
    await say('ping');
    await bot().filter({ hasText: 'pong' }).first().waitFor();
    await page.locator('[data-testid=message][data-sender=bot] .inspect').last().click();
    const open = page.locator('.exchange.open');
    await expect.poll(() => open.textContent()).toContain('msg_signature=');
    const text = (await open.textContent()) ?? '';
    expect(text).toContain('<Encrypt>'); // the envelope WeCom sends
    expect(text).toContain('<Content><![CDATA[@bot ping]]></Content>'); // and what it decrypts to
    expect(text).toMatch(/budget \d+ ms/);
  });

  it('clicks a card button and shows the card updated in place', async () => {
    await say('card', 'aibot');
    const card = page.locator('.card').filter({ hasText: '今晚聚餐' }).last();
    await card.waitFor();
    await card.getByRole('button', { name: '参加', exact: true }).click();
    await expect.poll(() => card.textContent()).toContain('已报名 ✓');
    expect(await card.getByRole('button', { name: '已参加' }).count()).toBe(1);
    expect(await page.locator('.card').filter({ hasText: '今晚聚餐' }).count()).toBe(1); // updated, not a second card
    // The update was for the clicker only (userids): another member still sees the first card.
    await viewAs('alice');
    await expect.poll(() => card.textContent()).toContain('19:00 老地方');
    expect(await card.getByRole('button', { name: '参加', exact: true }).count()).toBe(1);
    await viewAs('you');
    await expect.poll(() => card.textContent()).toContain('已报名 ✓');
  });

  it('opens the single chat with the AI bot from its button, and what is typed next goes there', async () => {
    const inGroup = () => emulator.chat.state().messages.filter((m) => m.conversationId === 'g1').length;
    const before = inGroup();
    await page.getByTestId('open-single').click();
    await expect.poll(() => page.getByTestId('conversation-single:you').getAttribute('class')).toContain('active');
    expect(await page.locator('#chat-head').textContent()).toContain('你 ↔ 智能机器人');
    await page.getByTestId('composer-input').fill('ping');
    await page.getByTestId('send').click();
    await expect
      .poll(() => emulator.chat.state().messages.filter((m) => m.conversationId === 'single:you' && m.sender === 'bot').length)
      .toBe(1);
    expect(inGroup()).toBe(before);
    expect(emulator.chat.transcript()).toContain('"conversationId":"single:you"');
    await page.getByTestId('conversation-g1').click();
    await expect.poll(() => page.getByTestId('conversation-g1').getAttribute('class')).toContain('active');
  });

  it('shows a visible_to_user reply to its recipient only', async () => {
    await say('secret');
    const secret = () => bot().filter({ hasText: '只有你能看到这条' });
    await secret().first().waitFor();
    expect(await secret().first().textContent()).toContain('仅 you 可见');
    await viewAs('alice');
    await expect.poll(() => secret().count()).toBe(0);
    expect(await bot().filter({ hasText: 'pong' }).count()).toBe(1); // alice still sees the public reply
    await viewAs('you');
    await expect.poll(() => secret().count()).toBe(1);
  });

  it('renders markdown with font colours, attachments, and markdown_v2 tables and code; takes the screenshots', async () => {
    await say('menu');
    const menu = bot().filter({ hasText: '本周活动' }).last();
    await menu.waitFor();
    expect(await menu.locator('.font-info').textContent()).toBe('报名中');
    expect(await menu.locator('.font-warning').textContent()).toBe('余 2 位');
    await menu.getByRole('button', { name: '报名' }).click();
    await bot().filter({ hasText: '已报名 badminton (you)' }).first().waitFor();
    await say('table');
    const table = bot().filter({ hasText: '值班表' }).last();
    await table.waitFor();
    expect(await table.locator('td').allTextContents()).toEqual(['周一', 'Alice', '周二', 'Bob']);
    expect(await table.locator('pre.code').textContent()).toContain('wecombot dev --web');
    await page.screenshot({ path: join(shots, 'emulator-chat.png') });
    await page.locator('[data-testid=message][data-sender=bot] .inspect').last().click();
    await page.locator('.exchange.open').waitFor();
    await page.screenshot({ path: join(shots, 'emulator-inspector.png') });
  });

  it('shows a crashing handler in the inspector, and a reload keeps the session', async () => {
    await say('crash');
    const errors = page.getByTestId('exchange-errors').filter({ hasText: 'boom in the handler' });
    await errors.first().waitFor();
    const before = await bot().count();
    await page.reload();
    await page.getByTestId('composer-input').waitFor();
    await expect.poll(() => bot().count()).toBe(before);
    const pongs = await bot().filter({ hasText: 'pong' }).count();
    await say('ping');
    await expect.poll(() => bot().filter({ hasText: 'pong' }).count()).toBe(pongs + 1);
  });

  it("runs a module command from its button, asking for its arguments (the corp fake's new customer)", async () => {
    page.once('dialog', (dialog) => void dialog.accept('zhangsan'));
    await page.getByTestId('command-customer').click();
    const note = page.locator('[data-testid=message][data-kind=note]').filter({ hasText: 'customer:add' });
    await note.first().waitFor();
    expect(await note.first().textContent()).toContain('staff zhangsan');
    expect(emulator.chat.state().exchanges.some((x) => x.title === 'command /customer zhangsan')).toBe(true);
  });

  it('injects 45009: the client waits one window and then delivers the push', async () => {
    await page.getByTestId('inject-group-45009').click();
    await expect.poll(() => emulator.chat.state().robotStatus.find((r) => r.robot === 'group')?.pending).toEqual(['45009']);
    await page.getByTestId('job-digest').click();
    await page.getByTestId('waiting-group').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'emulator-45009.png') });
    expect(await bot().filter({ hasText: '早报' }).count()).toBe(0);
    await bot().filter({ hasText: '早报：今天 3 个新活动' }).first().waitFor({ timeout: 80_000 });
    const job = emulator.chat.state().exchanges.find((x) => x.title.startsWith('job digest'))!;
    expect(job.outbound.map((o) => o.errcode)).toEqual([45009, 0]);
  }, 120_000);

  it('shows a response_url reply the AI bot sends while its handler still runs', async () => {
    await say('card', 'aibot');
    const card = page.locator('.card').filter({ hasText: '今晚聚餐' }).last();
    await card.waitFor();
    await card.getByRole('button', { name: '不参加', exact: true }).click();
    await bot().filter({ hasText: '好的，下次再约 (you)' }).first().waitFor();
    const ex = emulator.chat
      .state()
      .exchanges.filter((x) => x.title.includes('clicks "不参加"'))
      .at(-1)!;
    expect(ex.outbound.map((o) => [o.endpoint, o.errcode])).toEqual([['aibot_response', 0]]);
    expect(ex.errors).toEqual([]);
  });

  it('injects a slow answer: the push is shown once the fake accepts it, not reported as HTTP 0', async () => {
    await page.getByTestId('inject-group-slow').click();
    await expect.poll(() => emulator.chat.state().robotStatus.find((r) => r.robot === 'group')?.pending).toEqual(['slow']);
    const before = await bot().filter({ hasText: '早报：今天 3 个新活动' }).count();
    await page.getByTestId('job-digest').click();
    await expect.poll(() => bot().filter({ hasText: '早报：今天 3 个新活动' }).count(), { timeout: 20_000 }).toBe(before + 1);
    const job = emulator.chat
      .state()
      .exchanges.filter((x) => x.title.startsWith('job digest'))
      .at(-1)!;
    expect(job.outbound.map((o) => [o.status, o.errcode, o.injected])).toEqual([[200, 0, 'slow']]);
    expect(job.errors).toEqual([]);
  }, 30_000);

  it('saves a transcript, replays it in the page and with dev --script, with the same result', async () => {
    await page.getByTestId('transcript-save'); // the button is there; the file is the same as GET /api/transcript
    await page.evaluate(() => fetch('/api/action', { method: 'POST', body: JSON.stringify({ type: 'reset' }) }));
    await expect.poll(() => emulator.chat.state().messages.length).toBe(0);
    await say('ping');
    await bot().filter({ hasText: 'pong' }).first().waitFor();
    await say('card', 'aibot');
    await page.locator('.card').filter({ hasText: '今晚聚餐' }).last().getByRole('button', { name: '参加', exact: true }).click();
    await expect.poll(() => page.locator('.card').last().textContent()).toContain('已报名 ✓');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('transcript-save').click()]);
    const file = join(project, 'session.jsonl');
    await download.saveAs(file);
    const transcript = readFileSync(file, 'utf8');
    expect(transcript.split('\n')[0]).toBe('{"wecombot":"transcript","version":1}');
    expect(transcript).toContain('"expect":["pong"]');
    expect(transcript).toContain('"expect":["[card update] [button_interaction] 今晚聚餐？"]');

    await page.getByTestId('replay-file').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('replay-result').textContent(), { timeout: 20_000 })
      .toContain('✓ replay: 3 steps, same result');
    expect(await bot().filter({ hasText: 'pong' }).count()).toBe(1);

    const out: string[] = [];
    const code = await replayTranscriptScript(transcript, file, { cwd: makeProject(), env: {}, print: (l) => out.push(l) });
    expect(out.join('\n')).toContain('3 steps, same result');
    expect(code).toBe(0);
    const changed = transcript.replace('"expect":["pong"]', '"expect":["pang"]');
    expect(await replayTranscriptScript(changed, file, { cwd: makeProject(), env: {}, print: () => {} })).toBe(1);
  }, 60_000);
});
