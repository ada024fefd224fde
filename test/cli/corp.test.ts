import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCorp, type FakeCorp } from '../../src/testing/index.js';
import { runCli } from '../helpers/cli.js';

const VARS = ['WECOM_CORP_ID', 'WECOM_CORP_SECRET', 'WECOM_CORP_API_BASE', 'WECOMBOT_DATABASE_URL', 'WECOMBOT_REDIS_URL'] as const;

describe('wecombot corp', () => {
  let fake: FakeCorp;
  const saved: Partial<Record<(typeof VARS)[number], string>> = {};

  beforeAll(async () => {
    fake = await startFakeCorp();
    for (const v of VARS) saved[v] = process.env[v];
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    for (const v of VARS) delete process.env[v];
    process.env.WECOM_CORP_ID = fake.corpId;
    process.env.WECOM_CORP_SECRET = fake.secret;
    process.env.WECOM_CORP_API_BASE = fake.baseUrl;
    fake.setTrustedIp(true);
  });
  afterEach(() => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  const printed = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;
  const noSecrets = (text: string) => {
    for (const token of fake.issuedTokens()) expect(text).not.toContain(token);
    expect(text).not.toContain(fake.secret);
  };

  describe('token --check', () => {
    it('says the credentials work, without printing the token (exit 0)', async () => {
      const r = await runCli('corp', 'token', '--check');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`corp ${fake.corpId}: gettoken ok`);
      expect(r.stdout).toContain('customer-contact API: ok');
      expect(fake.issuedTokens().length).toBeGreaterThan(0);
      noSecrets(printed(r));
    });

    it('a wrong secret exits 1 with the hint, and the secret is not printed', async () => {
      process.env.WECOM_CORP_SECRET = 'wrongSecretValue' + 'z'.repeat(27);
      const r = await runCli('corp', 'token', '--check');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('errcode 40001');
      expect(r.stderr).toContain('WECOM_CORP_SECRET');
      expect(printed(r)).not.toContain('wrongSecretValue');
    });

    it('an untrusted IP exits 1 with the trusted-IP hint; --no-probe only checks the token', async () => {
      fake.setTrustedIp(false);
      const r = await runCli('corp', 'token', '--check');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('gettoken ok');
      expect(r.stderr).toContain('errcode 60020');
      expect(r.stderr).toContain('企业可信IP');
      const tokenOnly = await runCli('corp', 'token', '--check', '--no-probe');
      expect(tokenOnly.code).toBe(0);
      noSecrets(printed(r) + printed(tokenOnly));
    });

    it('missing variables and a missing --check are usage errors (exit 2) naming what to set', async () => {
      delete process.env.WECOM_CORP_SECRET;
      const partial = await runCli('corp', 'token', '--check');
      expect(partial.code).toBe(2);
      expect(partial.stderr).toContain('WECOM_CORP_SECRET is not set but WECOM_CORP_ID is');
      delete process.env.WECOM_CORP_ID;
      const none = await runCli('corp', 'token', '--check');
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('WECOM_CORP_ID and WECOM_CORP_SECRET are not set');
      const bare = await runCli('corp', 'token');
      expect(bare.code).toBe(2);
      expect(bare.stderr).toContain('--check');
      const unknown = await runCli('corp', 'token', '--bogus');
      expect(unknown.code).toBe(2);
    });

    it('an unreachable API exits 1', async () => {
      process.env.WECOM_CORP_API_BASE = 'http://127.0.0.1:1';
      const r = await runCli('corp', 'token', '--check', '--timeout', '2000');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('network error');
    });
  });

  describe('tags', () => {
    it('add, list (text and --json), mark', async () => {
      fake.state.addCustomer({ userid: 'zhangsan', external_userid: 'wmCli' });
      const added = await runCli('corp', 'tags', 'add', '--group', '意向', '高', '低');
      expect(added.code).toBe(0);
      expect(added.stdout).toMatch(/^added 2 tag\(s\) to 意向 \(et[0-9a-f]+\): 高 et[0-9a-f]+, 低 et[0-9a-f]+\n$/);
      const list = await runCli('corp', 'tags', 'list');
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^意向 {2}et[0-9a-f]+\n {2}高 {2}et[0-9a-f]+\n {2}低 {2}et[0-9a-f]+\n/);
      const json = await runCli('corp', 'tags', 'list', '--json');
      const groups = JSON.parse(json.stdout) as { group_name: string; tag: { id: string; name: string }[] }[];
      const high = groups.find((g) => g.group_name === '意向')!.tag.find((t) => t.name === '高')!;
      const mark = await runCli('corp', 'tags', 'mark', '--user', 'zhangsan', '--customer', 'wmCli', '--add', high.id);
      expect(mark.code).toBe(0);
      expect(mark.stdout).toBe('marked wmCli of zhangsan: 1 added, 0 removed\n');
      expect(fake.state.customerTags('zhangsan', 'wmCli')).toEqual([high.id]);
      noSecrets(printed(added) + printed(list) + printed(json) + printed(mark));
    });

    it('refusals: WeCom says no → 1; a bad command line → 2', async () => {
      const relation = await runCli('corp', 'tags', 'mark', '--user', 'nobody', '--customer', 'wmCli', '--add', 'etUnknown');
      expect(relation.code).toBe(1);
      expect(relation.stderr).toMatch(/errcode 400(03|68)/);
      expect((await runCli('corp', 'tags', 'mark', '--user', 'u', '--customer', 'wm')).code).toBe(2);
      expect((await runCli('corp', 'tags', 'mark', '--customer', 'wm', '--add', 'et1')).code).toBe(2);
      expect((await runCli('corp', 'tags', 'add', '高')).code).toBe(2);
      const long = await runCli('corp', 'tags', 'add', '--group', 'g', '标'.repeat(31));
      expect(long.code).toBe(2);
      expect(long.stderr).toContain('tag[0].name is 31 characters');
    });
  });
});
