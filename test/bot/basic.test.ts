import { afterEach, describe, expect, it } from 'vitest';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('bot core through the fake group', () => {
  it('answers a command passively, encrypted, with the mention stripped', async () => {
    group = await createTestGroup();
    group.bot.command('ping', (ctx) => ctx.reply(`pong ${ctx.text}`));
    const ex = await group.member('alice').says('@bot ping');
    expect(ex.status).toBe(200);
    expect(ex.reply?.msgtype).toBe('text');
    expect(ex.reply?.content).toBe('pong ping');
    expect(group.pushes()).toEqual([]);
  });

  it('URL verification echoes the decrypted echostr', async () => {
    group = await createTestGroup();
    const v = await group.verifyUrl();
    expect(v.status).toBe(200);
    expect(v.body).toBe(v.echo);
  });
});
