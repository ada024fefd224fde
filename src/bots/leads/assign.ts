/**
 * Who gets a lead. Rules first: the first rule whose conditions (region, product, source) all
 * hold names the eligible reps; without a matching rule every rep is eligible. Among those on
 * duty, rotation picks one:
 *
 * - `round-robin`: the rep given a lead longest ago (by a shared sequence number, so the order
 *   survives restarts, instances and reps going off duty and back);
 * - `least-loaded`: the rep with the fewest open leads (new or claimed), ties by round-robin.
 *
 * The reason is kept with the lead and shown in the post: `上海 + 产品A → 李四, round-robin`.
 * Pure: the ledger reads the state under its lock and writes the choice back.
 */
import type { LeadsConfig, Rep, Rule } from './config.js';
import { onDuty } from './roster.js';

export interface LeadFacts {
  source: string;
  region: string | undefined;
  product: string | undefined;
}

export interface RotationState {
  /** The sequence number of each rep's last lead (absent: never). */
  lastSeq: ReadonlyMap<string, number>;
  /** Open leads per rep (least-loaded only). */
  open: ReadonlyMap<string, number>;
}

export interface Assignment {
  rep: Rep;
  reason: string;
}

const matches = (wanted: readonly string[], value: string | undefined) =>
  wanted.length === 0 || (value !== undefined && wanted.some((w) => value === w || value.includes(w)));

/** The first rule the lead satisfies, and the conditions that made it match (for the reason). */
export function matchRule(rules: readonly Rule[], lead: LeadFacts): { rule: Rule; because: string[] } | undefined {
  for (const rule of rules) {
    if (!matches(rule.region, lead.region) || !matches(rule.product, lead.product) || !matches(rule.source, lead.source)) continue;
    const because = [
      ...rule.region.filter((w) => lead.region?.includes(w)).slice(0, 1),
      ...rule.product.filter((w) => lead.product?.includes(w)).slice(0, 1),
      ...(rule.source.length ? [lead.source] : []),
    ];
    return { rule, because };
  }
  return undefined;
}

function pick(candidates: readonly Rep[], strategy: LeadsConfig['strategy'], state: RotationState): Rep {
  let best = candidates[0] as Rep;
  const key = (r: Rep) => [strategy === 'least-loaded' ? (state.open.get(r.userId) ?? 0) : 0, state.lastSeq.get(r.userId) ?? 0];
  for (const rep of candidates.slice(1)) {
    const [a1, a2] = key(rep) as [number, number];
    const [b1, b2] = key(best) as [number, number];
    if (a1 < b1 || (a1 === b1 && a2 < b2)) best = rep;
  }
  return best;
}

/** Chooses the rep of a lead at `at` (epoch ms). */
export function assign(
  config: Pick<LeadsConfig, 'reps' | 'rules' | 'strategy'>,
  lead: LeadFacts,
  state: RotationState,
  at: number,
): Assignment {
  const hit = matchRule(config.rules, lead);
  const eligible = hit ? config.reps.filter((r) => hit.rule.reps.includes(r.userId)) : config.reps;
  const onShift = eligible.filter((r) => onDuty(r.shift, at));
  const skipped = eligible.filter((r) => !onShift.includes(r));
  const label = hit ? hit.because.join(' + ') || '规则' : '全部销售';
  let rep: Rep;
  let how: string = config.strategy;
  if (onShift.length > 0) rep = pick(onShift, config.strategy, state);
  else {
    // Nobody eligible is on duty: the lead still goes to someone of the rule, who sees it
    // first thing; better than no owner.
    rep = pick(eligible, config.strategy, state);
    how = `${config.strategy}, 无人值班`;
  }
  const skipNote = onShift.length > 0 && skipped.length ? `, 跳过休息: ${skipped.map((r) => r.name).join('、')}` : '';
  return { rep, reason: `${label} → ${rep.name}, ${how}${skipNote}` };
}
