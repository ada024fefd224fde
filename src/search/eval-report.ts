import type { EvalResult, EvalScores } from './eval.js';

const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

/** Columns a string takes in a terminal: CJK characters take two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/**
 * The text report of `wecombot kb eval`: one column per run (a second run shows its
 * difference to the first), then recall@5 / MRR@10 per group, largest groups first.
 *
 * @example formatEval([result], ['kb.idx'])
 */
export function formatEval(results: readonly EvalResult[], names: readonly string[]): string {
  const first = results[0]!;
  const out: string[] = [];
  const skipped = first.outOfScope > 0 ? `, ${first.outOfScope} without relevant pages skipped` : '';
  out.push(`queries      ${first.queries} (field: ${first.field}${skipped})`);
  if (results.length > 1) names.forEach((n, i) => out.push(`run ${String.fromCharCode(65 + i)}        ${n}`));
  const rows: Array<[string, (r: EvalResult) => number, boolean]> = [
    ['recall@1', (r) => r.recallAt1, true],
    ['recall@3', (r) => r.recallAt3, true],
    ['recall@5', (r) => r.recallAt5, true],
    ['MRR@10', (r) => r.mrrAt10, true],
    ['latency p50', (r) => r.latencyMs.p50, false],
    ['latency p95', (r) => r.latencyMs.p95, false],
  ];
  if (results.length > 1)
    out.push(`${''.padEnd(12)} ${results.map((_, i) => `run ${String.fromCharCode(65 + i)}`.padEnd(10)).join(' ')} B − A`);
  for (const [label, get, score] of rows) {
    const cells = results.map((r) => (score ? f3(get(r)) : `${get(r).toFixed(2)} ms`).padEnd(10));
    const delta = results.length > 1 && score ? signed(get(results[1]!) - get(first)) : '';
    out.push(`${label.padEnd(12)} ${cells.join(' ')}${delta ? ` ${delta}` : ''}`.trimEnd());
  }
  if (first.byGroup) {
    out.push('', 'by group (recall@5 / MRR@10)');
    const labels = Object.entries(first.byGroup).map(([group, scores]) => [group, `${group} (${scores.queries})`] as const);
    const width = Math.max(...labels.map(([, label]) => displayWidth(label)));
    for (const [group, label] of labels) {
      const cells = results.map((r) => cell(r.byGroup?.[group]));
      out.push(`  ${pad(label, width)}  ${cells.join('   ')}`);
    }
  }
  return out.join('\n');
}

function cell(s: EvalScores | undefined): string {
  return s ? `${f3(s.recallAt5)} / ${f3(s.mrrAt10)}` : '–';
}
