/**
 * Assignment: round-robin is fair over 1,000 leads (each rep within one lead of an equal
 * share, here exactly equal), rules take precedence over rotation, reps off duty are skipped,
 * least-loaded counts open leads — all through the ledger on a real SQLite store, where the
 * rotation state lives.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { moduleTable } from '../../../src/bot/module.js';
import { assign } from '../../../src/bots/leads/assign.js';
import { parseLeadsConfig, type LeadsConfigInput } from '../../../src/bots/leads/config.js';
import { LeadsDesk } from '../../../src/bots/leads/desk.js';
import type { IncomingLead } from '../../../src/bots/leads/intake/lead-input.js';
import { changeStatus, claimLead } from '../../../src/bots/leads/records/status.js';
import { onDuty, parseShift } from '../../../src/bots/leads/roster.js';
import { baseConfig, leadsRig, T0, testClock, type Rig } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => rig?.close());

async function desk(overrides: Partial<LeadsConfigInput>, clock = testClock()) {
  rig = await leadsRig({ clock, config: overrides });
  const store = rig.store;
  const config = parseLeadsConfig({ ...baseConfig('https://example.invalid/webhook', overrides), now: clock.now });
  return new LeadsDesk(store, (t) => moduleTable(store.namespace, 'leads', t), config, clock.now, pino({ level: 'silent' }), undefined);
}

let n = 0;
const lead = (facts: Partial<IncomingLead> = {}): IncomingLead => ({
  externalId: `x-${++n}`,
  name: '客户',
  phone: undefined,
  region: '成都',
  product: '产品C',
  channel: undefined,
  createdAt: undefined,
  answers: {},
  raw: {},
  ...facts,
});

const reps4 = [
  { userId: 'a', name: 'A' },
  { userId: 'b', name: 'B' },
  { userId: 'c', name: 'C' },
  { userId: 'd', name: 'D' },
];

describe('leads assignment', () => {
  it('round-robin over 1,000 leads: 250 each, in turn', async () => {
    const d = await desk({ reps: reps4, rules: [] });
    const order: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = await d.record('form', lead());
      if (r.kind !== 'new') throw new Error('expected a new lead');
      order.push(r.lead.assignedTo ?? '');
    }
    const counts = Object.fromEntries(['a', 'b', 'c', 'd'].map((id) => [id, order.filter((x) => x === id).length]));
    expect(counts).toEqual({ a: 250, b: 250, c: 250, d: 250 });
    // Strict turns: no rep gets a second lead before every other rep got one.
    for (let i = 0; i + 4 <= order.length; i += 4) expect(new Set(order.slice(i, i + 4)).size).toBe(4);
  });

  it('rules take precedence over rotation; the rotation stays fair for the rest', async () => {
    const d = await desk({
      reps: reps4,
      rules: [
        { region: '上海', product: '产品A', reps: ['a'] },
        { source: 'gdt', reps: ['b', 'c'] },
      ],
    });
    const got: { to: string; reason: string }[] = [];
    for (let i = 0; i < 300; i++) {
      const facts = i % 3 === 0 ? { region: '上海市', product: '产品A' } : {};
      const r = await d.record(i % 3 === 1 ? 'gdt' : 'form', lead(facts));
      if (r.kind === 'new') got.push({ to: r.lead.assignedTo ?? '', reason: r.lead.assignReason ?? '' });
    }
    const ruled = got.filter((_, i) => i % 3 === 0);
    expect(new Set(ruled.map((g) => g.to))).toEqual(new Set(['a']));
    expect(ruled[0]?.reason).toBe('上海 + 产品A → A, round-robin');
    const gdt = got.filter((_, i) => i % 3 === 1);
    expect(gdt.filter((g) => g.to === 'b')).toHaveLength(50);
    expect(gdt.filter((g) => g.to === 'c')).toHaveLength(50);
    expect(gdt[0]?.reason).toMatch(/^gdt → [BC], round-robin$/);
    // The unruled leads rotate over everyone, skipping whoever the rules just fed.
    const rest = got.filter((_, i) => i % 3 === 2).map((g) => g.to);
    expect(rest.filter((x) => x === 'd').length).toBeGreaterThanOrEqual(rest.length / 4);
  });

  it('a rep off duty is skipped, and the reason says so; back on duty they take their turn again', async () => {
    const clock = testClock(Date.parse('2030-06-03T20:00:00+08:00'));
    const d = await desk(
      {
        reps: [
          { userId: 'a', name: 'A', shift: '09:00-18:00' },
          { userId: 'b', name: 'B' },
        ],
        rules: [],
      },
      clock,
    );
    const evening = [];
    for (let i = 0; i < 4; i++) {
      const r = await d.record('form', lead());
      if (r.kind === 'new') evening.push(r.lead);
    }
    expect(evening.map((l) => l.assignedTo)).toEqual(['b', 'b', 'b', 'b']);
    expect(evening[0]?.assignReason).toBe('全部销售 → B, round-robin, 跳过休息: A');
    clock.set(Date.parse('2030-06-04T10:00:00+08:00'));
    const morning = [];
    for (let i = 0; i < 2; i++) {
      const r = await d.record('form', lead());
      if (r.kind === 'new') morning.push(r.lead.assignedTo);
    }
    // A was given nothing for longest: A first, then B.
    expect(morning).toEqual(['a', 'b']);
  });

  it('nobody on duty: the lead still gets an owner, and the reason says so', () => {
    const config = parseLeadsConfig(
      baseConfig('https://example.invalid/w', { reps: [{ userId: 'a', name: 'A', days: ['sat', 'sun'] }], rules: [] }),
    );
    const monday = Date.parse('2030-06-03T10:00:00+08:00');
    expect(
      assign(config, { source: 'form', region: undefined, product: undefined }, { lastSeq: new Map(), open: new Map() }, monday).reason,
    ).toBe('全部销售 → A, round-robin, 无人值班');
  });

  it('least-loaded: the rep with the fewest open leads; closed ones do not count', async () => {
    const d = await desk({ reps: reps4.slice(0, 2), rules: [], strategy: 'least-loaded' });
    const first = await d.record('form', lead());
    const second = await d.record('form', lead());
    if (first.kind !== 'new' || second.kind !== 'new') throw new Error('expected new leads');
    expect([first.lead.assignedTo, second.lead.assignedTo]).toEqual(['a', 'b']);
    // A closes theirs: A has 0 open, B 1 → A; then 1 each, B waited longer → B; then A (1) over B (2).
    await claimLead(d.ledger, first.lead.id, 'a');
    await changeStatus(d.ledger, first.lead.id, 'lost', 'a');
    const next = [];
    for (let i = 0; i < 3; i++) {
      const r = await d.record('form', lead());
      if (r.kind === 'new') next.push(r.lead.assignedTo);
    }
    expect(next).toEqual(['a', 'b', 'a']);
    const r = await d.record('form', lead());
    expect(r.kind === 'new' && r.lead.assignReason).toMatch(/least-loaded$/);
  });

  it('the roster reads shifts in the bot’s time zone, overnight shifts included', () => {
    const night = parseShift({ shift: '22:00-06:00', days: ['mon'], timezone: 'Asia/Shanghai' });
    expect(onDuty(night, Date.parse('2030-06-03T23:00:00+08:00'))).toBe(true); // Monday night
    expect(onDuty(night, Date.parse('2030-06-04T05:59:00+08:00'))).toBe(true); // Monday's shift, Tuesday morning
    expect(onDuty(night, Date.parse('2030-06-04T23:00:00+08:00'))).toBe(false); // Tuesday night
    const off = parseShift({ off: ['2030-06-03'], timezone: 'Asia/Shanghai' });
    expect(onDuty(off, T0)).toBe(false);
    expect(onDuty(off, T0 + 86_400_000)).toBe(true);
  });
});
