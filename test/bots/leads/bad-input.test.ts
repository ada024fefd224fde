/**
 * The bad-input cases for leads: a bad signature gets 401 and is never stored; a
 * malformed body gets 400 naming the field; a replayed delivery is stored once (flow.test.ts
 * and instances.test.ts); a phone that does not parse is stored with a flag, never dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feiyuSignature } from '../../../src/bots/leads/intake/verify.js';
import { allLeads, feiyuAuth, feiyuClue, formAuth, leadsRig, SECRETS, tencentLead, TOKENS, type Rig } from './rig.js';

let rig: Rig;
beforeAll(async () => {
  rig = await leadsRig();
});
afterAll(async () => rig.close());

const errorOf = (body: string) => JSON.parse(body) as { error: string; message: string };

describe('leads: a delivery that is not the source’s gets 401 and is never stored', () => {
  const body = JSON.stringify(feiyuClue({ id: 'sig-1' }));
  const cases: [string, () => { headers?: Record<string, string>; query?: string }, RegExp][] = [
    ['no token', () => ({ headers: feiyuAuth(body, rig.clock.now()).headers }), /missing token/],
    ['a wrong token', () => ({ ...feiyuAuth(body, rig.clock.now(), SECRETS.feiyu, 'not-the-token-0123456789') }), /wrong token/],
    [
      'no signature',
      () => ({ query: `?token=${TOKENS.feiyu}`, headers: { timestamp: String(Math.floor(rig.clock.now() / 1000)) } }),
      /missing Signature/,
    ],
    ['a signature with another key', () => feiyuAuth(body, rig.clock.now(), 'another-secret-0123456789'), /signature mismatch/],
    [
      'a signature of another body',
      () => {
        const ts = String(Math.floor(rig.clock.now() / 1000));
        return { query: `?token=${TOKENS.feiyu}`, headers: { timestamp: ts, signature: feiyuSignature(SECRETS.feiyu, ts, `${body} `) } };
      },
      /signature mismatch/,
    ],
    ['a stale timestamp (a replay 10 minutes later)', () => feiyuAuth(body, rig.clock.now() - 600_000), /600 s away/],
  ];
  for (const [name, auth, message] of cases) {
    it(`飞鱼: ${name}`, async () => {
      const res = await rig.deliver('feiyu', body, auth());
      expect(res.status).toBe(401);
      expect(errorOf(res.body)).toMatchObject({ error: 'route_unauthorized', message: expect.stringMatching(message) });
      expect(res.body).not.toContain(SECRETS.feiyu);
      expect(res.body).not.toContain(TOKENS.feiyu);
      expect(await allLeads(rig)).toEqual([]);
    });
  }

  it('Tencent Ads: a wrong URL token', async () => {
    const res = await rig.deliver('gdt', JSON.stringify(tencentLead()), { query: '?token=guessed-token-0000000000' });
    expect(res.status).toBe(401);
    expect(await allLeads(rig)).toEqual([]);
  });

  it('generic: an unsigned body, and one signed with the wrong secret', async () => {
    const lead = JSON.stringify({ name: '甲', phone: '13800000000' });
    expect((await rig.deliver('form', lead)).status).toBe(401);
    expect((await rig.deliver('form', lead, formAuth(lead, rig.clock.now(), 'wrong-secret-0123456789'))).status).toBe(401);
    expect(await allLeads(rig)).toEqual([]);
    expect(rig.group.pushes()).toEqual([]);
  });

  it('an unknown source is a 404', async () => {
    const res = await rig.deliver('baidu', '{}');
    expect(res.status).toBe(404);
    expect(errorOf(res.body).message).toBe('no lead source "baidu"');
  });
});

describe('leads: a malformed body gets 400 naming the field', () => {
  const feiyu = (clue: unknown) => {
    const body = typeof clue === 'string' ? clue : JSON.stringify(clue);
    return rig.deliver('feiyu', body, feiyuAuth(body, rig.clock.now()));
  };
  const cases: [string, () => Promise<{ status: number; body: string }>, string][] = [
    ['not JSON', () => feiyu('{"id": "1", '), 'the body is not JSON'],
    ['an empty body', () => feiyu(''), 'the body is empty'],
    ['a JSON string', () => feiyu('"lead"'), 'body must be a JSON object'],
    ['飞鱼 without the clue id', () => feiyu(feiyuClue({ id: undefined })), 'id is missing'],
    ['飞鱼 with an object phone', () => feiyu(feiyuClue({ telphone: { n: 1 } })), 'telphone must be a string or a number'],
    ['飞鱼 with a list as the name', () => feiyu(feiyuClue({ name: ['a'] })), 'name must be a string or a number (got an array)'],
    [
      'Tencent without leads_id',
      () => rig.deliver('gdt', JSON.stringify(tencentLead({ leads_id: undefined })), { query: `?token=${TOKENS.tencent}` }),
      'leads_id is missing',
    ],
    [
      'Tencent: a bad item in leads_info',
      () => rig.deliver('gdt', JSON.stringify({ leads_info: [tencentLead(), 7] }), { query: `?token=${TOKENS.tencent}` }),
      'leads_info[1] must be an object',
    ],
    [
      'generic: answers that are not an object',
      () => {
        const body = JSON.stringify({ name: '乙', phone: '13800000000', answers: 'x' });
        return rig.deliver('form', body, formAuth(body, rig.clock.now()));
      },
      'answers must be an object',
    ],
    [
      'generic: a time that is not one',
      () => {
        const body = JSON.stringify({ name: '乙', phone: '13800000000', created_at: 'yesterday' });
        return rig.deliver('form', body, formAuth(body, rig.clock.now()));
      },
      'created_at "yesterday" is not a time',
    ],
    [
      'generic: 101 leads in one delivery',
      () => {
        const body = JSON.stringify({ leads: Array.from({ length: 101 }, (_, i) => ({ id: String(i), phone: '13800000000' })) });
        return rig.deliver('form', body, formAuth(body, rig.clock.now()));
      },
      'leads has 101 leads; at most 100 a delivery',
    ],
  ];
  for (const [name, send, message] of cases) {
    it(name, async () => {
      const res = await send();
      expect(res.status).toBe(400);
      expect(errorOf(res.body)).toMatchObject({ error: 'route_body_invalid' });
      expect(errorOf(res.body).message).toContain(message);
      expect(await allLeads(rig)).toEqual([]);
    });
  }
});

describe('leads: a phone that does not parse is stored with a flag, never dropped', () => {
  it.each([
    ['masked by the platform', '138****0000', 'masked', '138****0000（平台已打码）'],
    ['not a number', '请加微信', 'invalid', '****微信（号码无法识别'],
    ['too short', '12345', 'invalid', '****45（号码无法识别'],
    ['missing', '', 'missing', '（无）'],
  ])('%s', async (_name, phone, flag, shown) => {
    const before = rig.group.pushes().length;
    const clue = feiyuClue({ id: `p-${flag}-${phone.length}`, telphone: phone, province_name: '北京', city_name: '北京' });
    const body = JSON.stringify(clue);
    const res = await rig.deliver('feiyu', body, feiyuAuth(body, rig.clock.now()));
    expect(res.status).toBe(200);
    const lead = (await allLeads(rig)).find((l) => l.externalId === clue.id);
    expect(lead?.phone).toEqual({ e164: undefined, raw: phone, flag });
    expect(lead?.status).toBe('new');
    const posts = rig.group.pushTexts().slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(`电话：${shown}`);
  });

  it('two masked phones are never taken for the same person', async () => {
    const leads = (await allLeads(rig)).filter((l) => l.phone.flag === 'masked');
    expect(leads.every((l) => l.status === 'new')).toBe(true);
    const body = JSON.stringify(feiyuClue({ id: 'p-masked-2', telphone: '138****0000', province_name: '北京', city_name: '北京' }));
    await rig.deliver('feiyu', body, feiyuAuth(body, rig.clock.now()));
    expect((await allLeads(rig)).filter((l) => l.phone.flag === 'masked').map((l) => l.status)).toEqual(['new', 'new']);
  });
});
