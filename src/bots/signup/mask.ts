/**
 * Masking of personal data before it is shown in a chat: a roster shows `张**`, a confirmation
 * shows `138****5678`. Only `wecombot signup export` (run by the operator, on the operator's
 * machine) writes the full values.
 */

/**
 * The first character and `**`, whatever the length, so the mask does not tell how long the
 * name is either.
 *
 * @example maskName('张三丰') // '张**'
 * @example maskName('Alice') // 'A**'
 */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first === undefined ? '**' : `${first}**`;
}

/**
 * A phone number with its middle hidden: the first 3 and last 4 digits of a mainland mobile,
 * less of a shorter number.
 *
 * @example maskPhone('13812345678') // '138****5678'
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 5) return `****${digits.slice(-2)}`;
  return '****';
}

/** Any text answer: the first character and `**` (a company name can identify a person too). */
export function maskText(value: string): string {
  return maskName(value);
}
