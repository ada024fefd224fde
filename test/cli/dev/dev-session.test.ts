import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevSession, type DevSession } from '../../../src/cli/dev/session.js';

let dir: string;
/** A project with its own config: a module with an emulator command, and handlers in setup. */
let project: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wecombot-dev-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'deploy.md'), '# 部署指南\n\n## 云函数\n\n使用 wecombot build 生成函数包，然后部署到云函数 SCF。\n');
  writeFileSync(join(dir, 'docs', 'limits.md'), '# Limits\n\nA robot sends at most 20 messages per minute.\n');
  project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'wecombot.config.ts'),
    `import { defineBotModule } from ${JSON.stringify(resolve('src/bot/module.ts'))};

const greeter = defineBotModule({
  name: 'greeter',
  emulator: () => [
    { name: 'greet', usage: '<text>', description: 'bob says hello', run: (args, emulator) => emulator.member('bob', 'Bob').says('hello ' + args) },
  ],
});

export default {
  bots: [greeter()],
  setup(bot) {
    bot.command('hello', (ctx) => ctx.reply(('hi ' + ctx.from.userId + ' (' + ctx.from.name + ') ' + (ctx.match ?? '')).trim()));
    bot.hears('menu', (ctx) =>
      ctx.reply({ markdown: '**报名吗？**', attachments: [{ callback_id: 'signup', actions: [{ name: 'join', value: 'yes', text: '报名', type: 'button' }] }] }),
    );
    bot.on('attachment', (ctx) => ctx.reply('clicked ' + ctx.message.callbackId + ' ' + ctx.message.actions[0].name + '=' + ctx.message.actions[0].value + ' by ' + ctx.from.userId));
    bot.hears('vote', (ctx) =>
      ctx.reply({ card: { card_type: 'vote_interaction', main_title: { title: '投票' }, task_id: 'task-2',
        checkbox: { question_key: 'q', mode: 1, option_list: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }] },
        submit_button: { text: '提交', key: 'vote-submit' } } }),
    );
    bot.on('event:template_card_event', (ctx) =>
      ctx.reply('event ' + ctx.message.eventKey + ' task ' + ctx.message.taskId + ' by ' + ctx.from.userId + ' chose ' + JSON.stringify(ctx.message.selectedItems)),
    );
    bot.job('daily', '0 0 9 * * *', (job) => job.push('早报 ' + job.name));
  },
};
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Plays `lines` in a session and returns everything it printed. */
async function play(session: DevSession, out: string[], lines: string[]): Promise<string> {
  for (const line of lines) await session.input(line);
  return out.join('\n');
}

describe('wecombot dev with the project config', () => {
  it("runs the config's modules and setup on the emulator, says what it loaded, lists every command", async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      expect([session.mode, session.source]).toEqual(['fake', 'config']);
      const text = await play(session, out, ['hello', '/help']);
      expect(text).toContain(`config: ${join(project, 'wecombot.config.ts')}`);
      expect(text).toContain('modules: greeter + setup(bot); robots: group, aibot; jobs: daily');
      expect(text).toContain(`SQLite ${join(project, '.wecombot', 'dev.db')}`);
      expect(text).toMatch(/passive reply, text, \d+ ms\) ›\n {2}hi you \(你\)/);
      const help = text.slice(text.lastIndexOf('you › /help'));
      for (const command of ['/as <userid> [name]', '/click <n|id> [value]', '/robot', '/greet <text>', '/help', '/quit'])
        expect(help).toContain(command);
      expect(text).not.toContain('demo');
    } finally {
      await session.close();
    }
  });

  it('/as changes the member the handler sees, for every later message', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      const text = await play(session, out, ['/as alice 张三', 'hello there', 'hello again']);
      expect(text).toMatch(/alice › hello there\nbot \(passive reply, text, \d+ ms\) ›\n {2}hi alice \(张三\) there/);
      expect(text.match(/hi alice \(张三\)/g)).toHaveLength(2);
      expect(text).not.toContain('hi you');
    } finally {
      await session.close();
    }
  });

  it('/click sends the attachment click of a button of the last reply (classic robot), by number or name, with a value', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      const text = await play(session, out, ['/as alice', 'menu', '/click 1', '/click join no']);
      expect(text).toContain('[1] 报名  (callback signup, name join, value yes)');
      expect(text).toContain('clicked signup join=yes by alice');
      expect(text).toContain('clicked signup join=no by alice');
    } finally {
      await session.close();
    }
  });

  it('/click on an AI bot card sends a template_card_event with the task id, the key and the chosen options', async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      const text = await play(session, out, ['/robot aibot', 'vote', '/click 1 a,b']);
      expect(text).toContain('q: a=A  b=B');
      expect(text).toContain('[1] 提交  (task task-2, key vote-submit; value: option ids, e.g. a,b)');
      expect(text).toContain('event vote-submit task task-2 by you chose [{"questionKey":"q","optionIds":["a","b"]}]');
    } finally {
      await session.close();
    }
  });

  it("a module's emulator command runs, and /run shows what a job pushed", async () => {
    const out: string[] = [];
    const session = await startDevSession({ cwd: project, env: {}, print: (l) => out.push(l) });
    try {
      const text = await play(session, out, ['/greet world', '/run daily', '/nope']);
      expect(text).toMatch(/passive reply, text, \d+ ms\) ›\n {2}hi bob \(Bob\) world/);
      expect(text).toMatch(/webhook push, text\) ›\n {2}早报 daily/);
      expect(text).toContain('unknown command /nope; /help lists them');
    } finally {
      await session.close();
    }
  });

  it('-c names a config outside the working directory', async () => {
    const out: string[] = [];
    const session = await startDevSession({
      cwd: dir,
      configPath: join(project, 'wecombot.config.ts'),
      env: {},
      print: (l) => out.push(l),
    });
    try {
      expect(session.source).toBe('config');
    } finally {
      await session.close();
    }
  });
});

describe('wecombot dev without a config: the demo', () => {
  it('answers typed lines through the signed pipeline and pushes the weather on /weather', async () => {
    const lines: string[] = [];
    const session = await startDevSession({
      cwd: dir,
      docsDir: join(dir, 'docs'),
      env: {},
      offlineWeather: true,
      print: (l) => lines.push(l),
    });
    try {
      expect([session.mode, session.source]).toEqual(['fake', 'demo']);
      await session.input('ping');
      await session.input('部署 云函数');
      await session.input('/weather');
      expect(await session.input('/quit')).toBe(false);
    } finally {
      await session.close();
    }
    const out = lines.join('\n');
    expect(out).toContain('no wecombot.config.* here: running the demo bots');
    expect(out).toMatch(/passive reply, text, \d+ ms\) ›\n {2}pong/);
    expect(out).toContain('部署指南');
    expect(out).toMatch(/webhook push, markdown\) ›[\s\S]*今日天气[\s\S]*离线示例数据/);
  });
});

describe('npm start script mode (bin/wecombot.js, compiled dist/)', () => {
  const env = { ...process.env, WECOM_TOKEN: '', WECOM_WEBHOOK_URL: '', WECOMBOT_DATABASE_URL: '', WECOMBOT_REDIS_URL: '' };

  it('runs a scripted chat against the project docs and shows a real answer', () => {
    const script = join(dir, 'chat.txt');
    writeFileSync(script, '# scripted demo\nping\n如何部署到 SCF\n');
    const out = execFileSync(process.execPath, [join(process.cwd(), 'bin/wecombot.js'), 'dev', '--script', script], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    expect(out).toContain('pong');
    expect(out).toMatch(/部署到腾讯云函数 SCF/);
  });

  it('runs a plain JS config given with -c', () => {
    const config = join(dir, 'plain.config.mjs');
    writeFileSync(config, "export default { setup(bot) { bot.command('hello', (ctx) => ctx.reply('hi ' + ctx.from.userId)); } };\n");
    const script = join(dir, 'hello.txt');
    writeFileSync(script, '/as carol\nhello\n');
    const out = execFileSync(process.execPath, [join(process.cwd(), 'bin/wecombot.js'), 'dev', '-c', config, '--script', script], {
      cwd: dir,
      encoding: 'utf8',
      env,
    });
    expect(out).toContain(`config: ${config}`);
    expect(out).toContain('hi carol');
  });
});
