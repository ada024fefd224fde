/**
 * Whether a command may write ANSI colours (or bars and spinners) to `stream`: only to a
 * terminal, never when NO_COLOR is set to anything non-empty (https://no-color.org) or TERM is
 * `dumb`, and never when the user passed `--no-color` (`flag === false`). FORCE_COLOR (non-empty,
 * not `0`) turns colours on for a pipe, e.g. `wecombot dev | less -R`.
 *
 * @example const color = useColor(process.stdout, opts.color);
 */
export function useColor(
  stream: { isTTY?: boolean },
  flag?: boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Whether `stream` is an interactive terminal (progress bars, prompts): a TTY and TERM not `dumb`. */
export function isInteractive(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb';
}
