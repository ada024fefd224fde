/** The preview and the delivery report as text, for the CLI and the emulator. */
import type { DeliveryReport, PreviewLine } from './runner.js';

export function formatReport(r: DeliveryReport): string {
  if (!r.run) return `${r.campaign}: never ran`;
  if (r.recipients === 0) return `${r.campaign} (${r.firedAt}): 0 recipients, nothing sent`;
  const failed = Object.entries(r.failedBy)
    .map(([code, n]) => `${n} × ${code === 'none' ? 'no errcode' : `errcode ${code}`}`)
    .join(', ');
  return [
    `${r.campaign} (${r.firedAt}): ${r.recipients} recipients`,
    `  sent ${r.sent}, capped ${r.capped}, opted out ${r.optedOut}, unreachable ${r.unreachable}, failed ${r.failed}${failed ? ` (${failed})` : ''}, pending ${r.pending}`,
  ].join('\n');
}

export function formatPreview(p: { campaign: string; lines: PreviewLine[]; quiet: boolean; unknownTags: string[] }): string {
  const out: string[] = [];
  const sending = p.lines.filter((l) => l.verdict === 'send').length;
  out.push(
    `${p.campaign}: ${p.lines.length === 0 ? '0 recipients' : `${p.lines.length} recipients, ${sending} would be sent now`}${p.quiet ? ' (quiet hours now: a run would wait)' : ''}`,
  );
  if (p.unknownTags.length) out.push(`  note: no one carries ${p.unknownTags.join(', ')}`);
  for (const l of p.lines) {
    out.push(`- ${l.subject}${l.name !== l.subject ? ` (${l.name})` : ''}: rule ${l.rule} [${l.segment}] via ${l.channel} → ${l.verdict}`);
    out.push(`    ${l.offer.replace(/\n/g, '\n    ')}`);
  }
  return out.join('\n');
}
