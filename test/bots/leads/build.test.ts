/**
 * `wecombot build --target scf --bots leads`: one function for the scenario. Its Function URL
 * serves the intake at its own path (`https://<function-url>/leads/<source>`), its claim timer
 * is the SCF timer trigger; it refuses to start without a shared store, and with PostgreSQL
 * each invocation (a fresh process, as on SCF) records, de-duplicates and posts, and the timer
 * escalates.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericSignature } from '../../../src/bots/leads/intake/verify.js';
import { buildBundle } from '../../../src/cli/commands/build.js';
import { openStore } from '../../../src/store/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../../src/testing/fake-wecom/types.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { invokeBundle } from '../../runtime/helpers.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';

const src = resolve(import.meta.dirname, '../../../src');
const SECRET = 'bundle-form-secret-0123456789';
let project: string;
let fake: FakeWecom;
const postgres = await serviceAvailable('postgres', POSTGRES_URL);
const namespace = testNamespace('lbuild');

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'wecombot-leads-build-'));
  fake = await startFakeWecom();
  await writeFile(
    join(project, 'wecombot.config.ts'),
    [
      `import { leads, notifier } from ${JSON.stringify(join(src, 'bots/index.ts'))};`,
      'export default {',
      "  bots: [notifier({ weather: { provider: 'offline-sample', location: { city: '北京' } } }),",
      `    leads({ sources: { form: { kind: 'generic', secret: '${SECRET}' } }, reps: [{ userId: 'lisi', name: '李四' }], claim: { within: '1m', manager: 'boss' } })],`,
      '};',
    ].join('\n'),
  );
});
afterAll(async () => {
  await fake.close();
  if (postgres) await dropPostgresNamespace(POSTGRES_URL, namespace);
  await rm(project, { recursive: true, force: true });
});

function intakeEvent(lead: Record<string, unknown>, at = Date.now()) {
  const body = JSON.stringify(lead);
  const ts = String(Math.floor(at / 1000));
  return {
    httpMethod: 'POST',
    path: '/leads/form',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': ts,
      'x-signature': genericSignature(SECRET, ts, body),
      'x-scf-remote-addr': '101.226.129.166',
    },
    queryString: {},
    body,
  };
}

describe('leads: one SCF function for the scenario', () => {
  it('bundles the leads bot alone, the intake on its Function URL path, the claim timer as its trigger', async () => {
    const built = await buildBundle({ target: 'scf', outDir: 'out-leads', cwd: project, bots: ['leads'] });
    expect(built.jobs).toEqual([{ name: 'leads-escalate', schedule: '0 * * * * *' }]);
    const yml = await readFile(join(project, 'out-leads', 'serverless.yml'), 'utf8');
    expect(yml).toMatch(/- http:/);
    expect(yml).toMatch(/- timer:\n\s+parameters:\n\s+name: leads-escalate\n[\s\S]*cronExpression: '0 \* \* \* \* \* \*'/);
    expect(yml).not.toContain('notifier');

    const key = fake.newKey();
    const env = { WECOM_WEBHOOK_URL: fake.webhookUrl(key) };
    // Leads kept in an instance-local store would be lost between invocations: refused.
    await expect(
      invokeBundle(built.bundle, 'main_handler', intakeEvent({ id: 'b-0', phone: '13800000000' }), env, tmpdir()),
    ).rejects.toThrow(/WECOMBOT_DATABASE_URL/);
    if (!postgres) return;

    const withDb = { ...env, WECOMBOT_DATABASE_URL: POSTGRES_URL, WECOMBOT_STORE_NAMESPACE: namespace };
    const lead = { id: 'b-1', name: '张三', phone: '13812341234', region: '上海' };
    const first = await invokeBundle(built.bundle, 'main_handler', intakeEvent(lead), withDb, tmpdir());
    expect(first.statusCode).toBe(200);
    expect(JSON.parse(String(first.body))).toMatchObject({ code: 0, leads: [{ status: 'new' }] });
    // The platform's retry reaches a fresh instance: stored once, posted once.
    const retry = await invokeBundle(built.bundle, 'main_handler', intakeEvent(lead), withDb, tmpdir());
    expect(JSON.parse(String(retry.body))).toMatchObject({ leads: [{ status: 'replay' }] });
    const forged = await invokeBundle(
      built.bundle,
      'main_handler',
      { ...intakeEvent(lead), body: JSON.stringify({ ...lead, id: 'b-2' }) },
      withDb,
      tmpdir(),
    );
    expect(forged.statusCode).toBe(401);
    const posts = fake.accepted(key).map((r) => JSON.stringify(r.body));
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('<@lisi>');
    expect(posts[0]).toContain('138****1234');

    // The timer trigger runs the claim timer on the shared store (the lead is not yet due).
    const timer = await invokeBundle(
      built.bundle,
      'main_handler',
      { Type: 'Timer', TriggerName: 'leads-escalate', Time: new Date().toISOString(), Message: '' },
      withDb,
      tmpdir(),
    );
    expect(timer).toMatchObject({ status: 'ran', name: 'leads-escalate' });
    expect(fake.accepted(key)).toHaveLength(1);
    // A minute later (the claim time moved back in the table): the next timer invocation, a
    // fresh process, reads the lead from the store and escalates it to the manager.
    const store = await openStore({ databaseUrl: POSTGRES_URL, namespace });
    await store
      .db()
      .updateTable(`${namespace}_leads_leads`)
      .set({ escalate_at: Date.now() - 1000 })
      .execute();
    await store.close();
    const later = new Date(Date.now() + 60_000).toISOString();
    await invokeBundle(
      built.bundle,
      'main_handler',
      { Type: 'Timer', TriggerName: 'leads-escalate', Time: later, Message: '' },
      withDb,
      tmpdir(),
    );
    const escalated = fake.accepted(key).map((r) => JSON.stringify(r.body));
    expect(escalated).toHaveLength(2);
    expect(escalated[1]).toContain('<@boss>');
    expect(escalated[1]).toContain('超时未认领');
  }, 120_000);
});
