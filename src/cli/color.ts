/**
 * Whether a command may write ANSI colours to `stream`: never after `--no-color` (`flag ===
 * false`); always with FORCE_COLOR non-empty and not `0` (e.g. `wecombot dev | less -R`; it wins
 * over NO_COLOR, as in Node itself); never with NO_COLOR non-empty (https://no-color.org) or
 * TERM=dumb; otherwise only to a terminal.
 *
 * @example const color = useColor(process.stdout, opts.color);
 */
export function useColor(
  stream: { isTTY?: boolean },
  flag?: boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (flag === false) return false;
  if (env.FORCE_COLOR) return env.FORCE_COLOR !== '0';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Whether `stream` is an interactive terminal (progress bars, prompts): a TTY and TERM not `dumb`. */
export function isInteractive(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb';
}
