/** One part of `npm run bench:corp`: a title, a table for people and a value for `--json`. */
export interface BenchSection {
  /** Key of the section in the --json output. */
  key: string;
  title: string;
  run(): Promise<{ table: string; json: unknown }>;
}

/** Renders rows as a fixed-width table (columns from the first row's keys). */
export function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const cols = Object.keys(rows[0] as object);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(width[i] as number))
      .join('  ')
      .trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n') + '\n';
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
