/**
 * What a coupon code may look like: 3–64 letters, digits, `.`, `_` or `-`, starting with a
 * letter or digit. Narrow on purpose: a code travels in text messages, CSV files and shell
 * commands, and must read the same in all of them (no spaces, quotes or commas).
 */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/**
 * Why `code` is not a coupon code, or undefined when it is one. The reason never quotes the
 * code: it may reach a log, and codes never do (the file and line say where it is).
 */
export function codeProblem(code: string): string | undefined {
  if (CODE_PATTERN.test(code)) return undefined;
  if (code.length < 3) return `the code is ${code.length} characters; at least 3`;
  if (code.length > 64) return `the code is ${code.length} characters; at most 64`;
  const chars = [...code];
  const at = chars.findIndex((ch, i) => !(i === 0 ? /[A-Za-z0-9]/ : /[A-Za-z0-9._-]/).test(ch));
  const bad = chars[at] ?? '';
  const what = bad === ' ' ? 'a space' : /\s/.test(bad) ? 'a tab or line break' : `the character "${bad}"`;
  return `the code has ${what}${at === 0 ? ' at the start' : ''} (codes are letters, digits, . _ -, starting with a letter or digit)`;
}
