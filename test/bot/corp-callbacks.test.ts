/**
 * Corp app callbacks through the whole pipeline with real encryption (receiveid = corpid): URL
 * verification, every event to its filter, `success` as the answer, de-duplication of retries,
 * the same refusals as robot callbacks, and no reply channel on a corp event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import { manualClock } from '../../src/bot/clock.js';
import type { Context } from '../../src/bot/context.js';
import { botRequest } from '../../src/bot/request.js';
import { corpCallbackXml, corpEnvelopeXml } from '../../src/testing/fake-corp/corp-events.js';
import { createTestCorp } from '../../src/testing/fake-corp/test-corp.js';
import { CallbackSigner, createTestGroup, randomSecrets } from '../../src/testing/fake-group/index.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { defineBotModule } from '../../src/bot/module.js';
import { captureLogger, gate } from './helpers.js';

const CORP_ID = 'ww5b6c7d8e9f0a1b2c';
let bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots) await bot.close();
  bots = [];
});

function setup(options: { ackBudgetMs?: number; clock?: ReturnType<typeof manualClock> } = {}) {
  const corpSecrets = randomSecrets();
  const group = randomSecrets();
  const logs = captureLogger([corpSecrets.token, corpSecrets.encodingAesKey, group.token, group.encodingAesKey]);
  const bot = createBot({ corp: { corpId: CORP_ID, ...corpSecrets }, group, logger: logs.logger, ...options });
  bots.push(bot);
  const seen: { filter: string; ctx: Context }[] = [];
  const corp = createTestCorp(bot);
  return { bot, corp, logs, seen, corpSecrets, group };
}

const customer = { userId: 'zhangsan', externalUserId: 'wmCUSTOMER1' };

describe('corp callbacks: URL verification and routing', () => {
  it('answers the GET verification with the echo, the receiveid being the corpid', async () => {
    const { corp } = setup();
    const v = await corp.verifyUrl();
    expect([v.status, v.body]).toEqual([200, v.echo]);
  });

  it('routes every event to its filter and answers success', async () => {
    const { bot, corp, seen } = setup();
    const filters = [
      'customer:add',
      'customer:half-add',
      'customer:edit',
      'customer:delete',
      'customer:deleted-by',
      'customer:transfer-fail',
      'group:create',
      'group:join',
      'group:leave',
      'group:update',
      'group:dismiss',
      'tag:create',
      'tag:update',
      'tag:delete',
      'tag:shuffle',
    ] as const;
    for (const filter of filters) bot.on(filter, (ctx) => void seen.push({ filter, ctx }));
    const sent = [
      await corp.customerAdded({ ...customer, state: 'poster', welcome: 'CODE1' }),
      await corp.customerHalfAdded({ ...customer, welcome: 'CODE2' }),
      await corp.customerEdited(customer),
      await corp.customerDeleted({ ...customer, source: 'DELETE_BY_TRANSFER' }),
      await corp.customerLeftStaff(customer),
      await corp.transferFailed({ ...customer, reason: 'customer_refused' }),
      await corp.groupCreated({ chatId: 'wrG' }),
      await corp.customerJoinedGroup({ chatId: 'wrG', memberIds: ['wmA', 'wmB'], joinScene: 3 }),
      await corp.memberLeftGroup({ chatId: 'wrG', memberIds: ['wmA'], quitScene: 1 }),
      await corp.groupUpdated({ chatId: 'wrG', detail: 'change_name' }),
      await corp.groupDismissed({ chatId: 'wrG' }),
      await corp.tagChanged({ changeType: 'create', id: 'etT1' }),
      await corp.tagChanged({ changeType: 'update', id: 'etG1', tagType: 'tag_group' }),
      await corp.tagChanged({ changeType: 'delete', id: 'etG1', tagType: 'tag_group' }),
      await corp.tagChanged({ changeType: 'shuffle' }),
    ];
    await corp.settle();
    expect(sent.map((ex) => [ex.status, ex.body])).toEqual(filters.map(() => [200, 'success']));
    expect(seen.map((s) => s.filter)).toEqual(filters);
    const [add, , , , , , , join] = seen.map((s) => s.ctx);
    expect(add?.message).toMatchObject({
      robot: 'corp',
      type: 'external_contact',
      changeType: 'add_external_contact',
      userId: 'zhangsan',
      externalUserId: 'wmCUSTOMER1',
      state: 'poster',
      welcomeCode: 'CODE1',
      corpId: CORP_ID,
    });
    expect(join?.message).toMatchObject({ updateDetail: 'add_member', joinScene: 3, changeCount: 2, memberIds: ['wmA', 'wmB'] });
    expect([join?.chatId, add?.chatId, add?.from.userId, add?.chatType, add?.robot, add?.text]).toEqual(['wrG', '', '', '', 'corp', '']);
  });

  it('group:update sees every update, joins included, when it comes first; robot:corp sees every corp event', async () => {
    const { bot, corp } = setup();
    const got: string[] = [];
    bot.on('group:update', (ctx) => void got.push(`update:${ctx.message.updateDetail}`));
    bot.on('robot:corp', (ctx) => void got.push(`corp:${ctx.message.type}`));
    await corp.customerJoinedGroup({ chatId: 'wrG', memberIds: ['wmA'] });
    await corp.groupUpdated({ chatId: 'wrG', detail: 'change_avatar' });
    await corp.tagChanged({ changeType: 'create', id: 'etT' });
    await corp.settle();
    expect(got).toEqual(['update:add_member', 'update:other', 'corp:external_tag']);
  });

  it('robot filters never match corp events, and corp filters never match robot messages', async () => {
    const { bot, corp } = setup();
    const got: string[] = [];
    bot.on(['event', 'message', 'robot:group', 'chat:group'], () => void got.push('robot'));
    bot.on('robot:corp', () => void got.push('corp'));
    await corp.customerAdded(customer);
    const group = await createTestGroup(bot);
    await group.member('alice').says('@bot hi');
    await group.close();
    await corp.settle();
    expect(got).toEqual(['corp', 'robot']);
  });

  it('acknowledges an unknown change type and another app event with success, without a handler', async () => {
    const { bot, corp, logs } = setup();
    let handled = 0;
    bot.use(() => void handled++);
    const future = await corp.event({
      kind: 'raw',
      event: 'change_external_contact',
      fields: '<ChangeType>msg_audit_approved</ChangeType><UserID>u</UserID>',
    });
    const other = await corp.event({ kind: 'raw', event: 'enter_agent', fields: '<AgentID>1000002</AgentID>' });
    expect([future.body, other.body]).toEqual(['success', 'success']);
    expect(handled).toBe(0);
    expect(logs.lines.find((l) => l.rawChangeType === 'msg_audit_approved')?.msg).toBe('unknown callback type acknowledged');
  });
});

describe('corp callbacks: de-duplication', () => {
  it('handles a retried event once (same key), another event of the same customer again', async () => {
    const { bot, corp, logs } = setup();
    let handled = 0;
    bot.on('customer:add', () => void handled++);
    const first = await corp.customerAdded({ ...customer, createTime: 1_700_000_000 });
    const retry = await corp.send(first.request);
    const resent = await corp.customerAdded({ ...customer, createTime: 1_700_000_000 }); // WeCom re-encrypts a retry
    const later = await corp.customerAdded({ ...customer, createTime: 1_700_000_001 });
    await corp.settle();
    expect([first.body, retry.body, resent.body, later.body]).toEqual(['success', 'success', 'success', 'success']);
    expect(handled).toBe(2);
    expect(logs.lines.filter((l) => l.msg === 'duplicate callback acknowledged (already handled)')).toHaveLength(2);
  });

  it('keeps events apart that share the second but not the ids', async () => {
    const { bot, corp } = setup();
    const got: string[] = [];
    bot.on('robot:corp', (ctx) => void got.push(ctx.message.msgId));
    await corp.customerAdded({ userId: 'a', externalUserId: 'wmB', createTime: 1 });
    await corp.customerAdded({ userId: 'ab', externalUserId: 'wm', createTime: 1 });
    await corp.customerHalfAdded({ userId: 'a', externalUserId: 'wmB', createTime: 1 });
    await corp.settle();
    expect(new Set(got).size).toBe(3);
  });
});

describe('corp callbacks: the same refusals as robot callbacks', () => {
  /** Sends the same hostile input to the group path and the corp path; both answers, side by side. */
  async function both(
    make: (target: {
      path: string;
      signer: CallbackSigner;
      plaintext: string;
      envelope?: (e: string) => string;
    }) => ReturnType<typeof botRequest>,
  ) {
    const { bot, corp, corpSecrets, group } = setup();
    let handled = 0;
    bot.use(() => void handled++);
    const groupSigner = new CallbackSigner(group);
    const groupPlain = groupCallbackXml(
      { msgId: 'm1', webhookUrl: 'http://127.0.0.1:1/cgi-bin/webhook/send?key=k', chatId: 'wrC', chatType: 'group', from: { userId: 'u' } },
      { kind: 'text', content: 'hi' },
    );
    const corpPlain = corpCallbackXml(
      { corpId: CORP_ID, createTime: Math.floor(Date.now() / 1000) },
      { kind: 'customer', changeType: 'add_external_contact', ...customer },
    );
    const robotAnswer = await bot.handle(make({ path: '/wecom/callback', signer: groupSigner, plaintext: groupPlain }));
    const corpAnswer = await corp.send(
      make({
        path: '/wecom/corp',
        signer: new CallbackSigner(corpSecrets, Date.now, CORP_ID),
        plaintext: corpPlain,
        envelope: (e) => corpEnvelopeXml(CORP_ID, '1000002', e),
      }),
    );
    expect(handled).toBe(0);
    return { robot: [robotAnswer.status, robotAnswer.body], corp: [corpAnswer.status, corpAnswer.body] };
  }

  it('bad signature → 401 bot_signature_mismatch', async () => {
    const r = await both(({ path, signer, plaintext, envelope }) =>
      signer.post(path, plaintext, 'xml', { signature: 'f'.repeat(40), ...(envelope && { envelope }) }),
    );
    expect(r.corp).toEqual(r.robot);
    expect(r.corp).toEqual([401, 'bot_signature_mismatch\n']);
  });

  it('stale timestamp → 401 bot_timestamp_stale', async () => {
    const old = Math.floor(Date.now() / 1000) - 3600;
    const r = await both(({ path, signer, plaintext, envelope }) =>
      signer.post(path, plaintext, 'xml', { timestamp: old, ...(envelope && { envelope }) }),
    );
    expect(r.corp).toEqual(r.robot);
    expect(r.corp).toEqual([401, 'bot_timestamp_stale\n']);
  });

  it('an entity bomb in the signed plaintext → 400 bot_malformed', async () => {
    const bomb = '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    const r = await both(({ path, signer, plaintext, envelope }) =>
      signer.post(path, `${bomb}${plaintext.replace('<xml>', '<xml>&b;')}`, 'xml', envelope ? { envelope } : {}),
    );
    expect(r.corp).toEqual(r.robot);
    expect(r.corp).toEqual([400, 'bot_malformed\n']);
  });

  it('an entity bomb in the envelope → 400 bot_malformed', async () => {
    const bomb = '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]>';
    const r = await both(({ path }) =>
      botRequest({
        method: 'POST',
        url: `${path}?msg_signature=${'a'.repeat(40)}&timestamp=1&nonce=2`,
        body: `${bomb}<xml><ToUserName>&a;</ToUserName><Encrypt>abc</Encrypt></xml>`,
      }),
    );
    expect(r.corp).toEqual(r.robot);
    expect(r.corp).toEqual([400, 'bot_malformed\n']);
  });

  it('oversized body → 413 bot_body_too_large', async () => {
    const r = await both(({ path }) =>
      botRequest({ method: 'POST', url: `${path}?msg_signature=a&timestamp=1&nonce=2`, body: new Uint8Array(1024 * 1024 + 1) }),
    );
    expect(r.corp).toEqual(r.robot);
    expect(r.corp).toEqual([413, 'bot_body_too_large\n']);
  });

  it('a robot key (receiveid "") on the corp path → 400 bot_undecryptable, as a wrong receiveid is for robots', async () => {
    const { bot, corp, corpSecrets, logs } = setup();
    let handled = 0;
    bot.use(() => void handled++);
    // Same Token and EncodingAESKey, encrypted the way a robot's callbacks are (empty receiveid).
    const robotStyle = new CallbackSigner(corpSecrets);
    const plaintext = corpCallbackXml(
      { corpId: CORP_ID, createTime: Math.floor(Date.now() / 1000) },
      { kind: 'customer', changeType: 'add_external_contact', ...customer },
    );
    const ex = await corp.send(robotStyle.post('/wecom/corp', plaintext, 'xml'));
    expect([ex.status, ex.body]).toEqual([400, 'bot_undecryptable\n']);
    const line = logs.lines.find((l) => l.code === 'bot_undecryptable');
    expect(String(line?.msg)).toMatch(/receiveid/i);
    // And the verification GET with such a key fails the same way.
    const v = robotStyle.urlVerification('/wecom/corp');
    expect((await bot.handle(v.request)).status).toBe(400);
    expect(handled).toBe(0);
  });

  it("another robot's key on the corp path → 401 (the signature is not the corp app's)", async () => {
    const { corp, group } = setup();
    const plaintext = corpCallbackXml(
      { corpId: CORP_ID, createTime: Math.floor(Date.now() / 1000) },
      { kind: 'customer', changeType: 'add_external_contact', ...customer },
    );
    const ex = await corp.send(new CallbackSigner(group).post('/wecom/corp', plaintext, 'xml'));
    expect([ex.status, ex.body]).toEqual([401, 'bot_signature_mismatch\n']);
  });

  it('the corp path without a corp app → 404 naming the variables; logs never carry the corp secrets', async () => {
    const group = randomSecrets();
    const logs = captureLogger();
    const bot = createBot({ group, logger: logs.logger });
    bots.push(bot);
    const res = await bot.handle(
      botRequest({ method: 'POST', url: '/wecom/corp?msg_signature=a&timestamp=1&nonce=2', body: '<xml><Encrypt>abc</Encrypt></xml>' }),
    );
    expect([res.status, res.body]).toEqual([404, 'bot_robot_not_configured\n']);
    expect(String(logs.lines.at(-1)?.hint)).toContain('WECOM_CORP_ID, WECOM_CORP_TOKEN and WECOM_CORP_ENCODING_AES_KEY');
  });

  it('a corp callback on a neutral FaaS path is told apart by its signature', async () => {
    const { bot, corp, corpSecrets } = setup();
    let got = '';
    bot.on('customer:add', (ctx) => void (got = ctx.message.externalUserId));
    const plaintext = corpCallbackXml(
      { corpId: CORP_ID, createTime: Math.floor(Date.now() / 1000) },
      { kind: 'customer', changeType: 'add_external_contact', ...customer },
    );
    const ex = await corp.send(
      new CallbackSigner(corpSecrets, Date.now, CORP_ID).post('/', plaintext, 'xml', { envelope: (e) => corpEnvelopeXml(CORP_ID, '1', e) }),
    );
    await corp.settle();
    expect([ex.status, ex.body, got]).toEqual([200, 'success', 'wmCUSTOMER1']);
  });
});

describe('corp callbacks: the answer and the context', () => {
  it('answers success at the ack budget while a slow handler goes on', async () => {
    const clock = manualClock();
    const { bot, corp } = setup({ clock, ackBudgetMs: 3000 });
    let finished = false;
    bot.on('customer:add', async () => {
      await clock.sleep(8000);
      finished = true;
    });
    const answer = corp.customerAdded({ ...customer, createTime: Math.floor(clock.now() / 1000) });
    await clock.advance(3000);
    const ex = await answer;
    expect([ex.status, ex.body, finished]).toEqual([200, 'success', false]);
    await clock.advance(5000);
    await corp.settle();
    expect(finished).toBe(true);
  });

  it('ctx.reply, ctx.push and ctx.stream on a corp event are ReplyErrors with a hint', async () => {
    const { bot, corp } = setup();
    const errors: { code: string; hint: string | undefined }[] = [];
    bot.on('customer:add', async (ctx) => {
      for (const attempt of [() => ctx.reply('hi'), () => ctx.push('hi'), () => ctx.stream('…').finish()]) {
        await attempt().catch((err: { code: string; hint?: string }) => errors.push({ code: err.code, hint: err.hint }));
      }
    });
    const ex = await corp.customerAdded(customer);
    await corp.settle();
    expect(ex.body).toBe('success');
    expect(errors.map((e) => e.code)).toEqual(['reply_unsupported', 'reply_unsupported', 'reply_unsupported']);
    expect(errors[0]?.hint).toMatch(/ctx\.sendWelcome/);
  });

  it('a throwing handler goes to bot.catch and WeCom still gets success', async () => {
    const { bot, corp } = setup();
    const caught: string[] = [];
    bot.catch((err) => void caught.push(err.message));
    bot.on('tag:create', () => {
      throw new Error('boom');
    });
    const ex = await corp.tagChanged({ changeType: 'create', id: 'etX' });
    await corp.settle();
    expect(ex.body).toBe('success');
    expect(caught[0]).toMatch(/handler failed on corp external_tag corp:.*: boom/);
  });

  it('ctx.corp without a Secret and ctx.sendWelcome off customer:add refuse with hints', async () => {
    const { bot, corp } = setup();
    const seen: string[] = [];
    bot.on('customer:add', (ctx) => {
      try {
        void ctx.corp;
      } catch (err) {
        seen.push(String((err as { hint?: string }).hint));
      }
    });
    bot.on('tag:create', async (ctx) => {
      await ctx.sendWelcome('hi').catch((err: Error) => seen.push(err.message));
    });
    await corp.customerAdded(customer);
    await corp.tagChanged({ changeType: 'create', id: 'etX' });
    await corp.settle();
    expect(seen[0]).toMatch(/WECOM_CORP_SECRET/);
    expect(seen[1]).toMatch(/only customer:add and customer:half-add carry a WelcomeCode/);
  });
});

describe('corp events in a module with sessions', () => {
  it('get fresh sessions that are neither leased nor stored, so concurrent events never queue on one', async () => {
    const { bot, corp } = setup();
    const first = gate();
    const order: string[] = [];
    await bot.install(
      defineBotModule({
        name: 'crm',
        session: { initial: () => ({ seen: 0 }) },
        setup(m) {
          m.on('customer:add', async (ctx) => {
            ctx.session.seen += 1;
            order.push(`${ctx.message.externalUserId}:${ctx.session.seen}`);
            if (ctx.message.externalUserId === 'wmSLOW') await first.promise;
          });
        },
      })(),
    );
    const slow = corp.customerAdded({ userId: 'u', externalUserId: 'wmSLOW' });
    await corp.customerAdded({ userId: 'u', externalUserId: 'wmFAST' });
    await waitFor(() => order.length === 2);
    expect(order).toEqual(['wmSLOW:1', 'wmFAST:1']);
    first.open();
    await slow;
    await corp.settle();
    expect(await (await bot.store()).get('session:crm:user:0::')).toBeUndefined();
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('createBot({ corp }) options', () => {
  it('errors name the field', () => {
    const s = randomSecrets();
    expect(() => createBot({ corp: { corpId: '', ...s } })).toThrow(/corp\.corpId/);
    expect(() => createBot({ corp: { corpId: CORP_ID, token: '', encodingAesKey: s.encodingAesKey } })).toThrow(/corp\.token is empty/);
    expect(() => createBot({ corp: { corpId: CORP_ID, token: s.token, encodingAesKey: 'short' } })).toThrow(
      /corp\.encodingAesKey must be 43/,
    );
    expect(() => createBot({ corp: { corpId: CORP_ID, ...s, secret: 'has space' } })).toThrow(/corp\.secret/);
    expect(() => createBot({ corp: { corpId: CORP_ID, ...s, baseUrl: 'ftp://x' } })).toThrow(/corp\.baseUrl/);
    expect(() => createBot({ corp: { corpId: 'ww 1', ...s } })).toThrow(expect.objectContaining({ code: 'bot_config_invalid' }));
  });

  it('serves the corp path at paths.corp, and lists it among the core routes', () => {
    const bot = createBot({ corp: { corpId: CORP_ID, ...randomSecrets() }, paths: { corp: '/hooks/corp' }, logLevel: 'silent' });
    bots.push(bot);
    expect(bot.routes()).toContainEqual({ owner: 'core', path: '/hooks/corp', methods: ['GET', 'POST'] });
    expect(bot.robots).toEqual([]);
  });
});
