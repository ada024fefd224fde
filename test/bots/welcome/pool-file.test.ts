/** Pool files and patterns: codes read from CSV or text, malformed files refused with the file, the line and the reason. */
import { describe, expect, it } from 'vitest';
import { generateCode, parsePattern, type CodePattern } from '../../../src/bots/welcome/coupons/pattern.js';
import { parsePoolFile } from '../../../src/bots/welcome/coupons/pool-file.js';
import { CouponPoolError } from '../../../src/bots/welcome/errors.js';

async function refusal(text: string, file: string): Promise<string> {
  try {
    await parsePoolFile(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(CouponPoolError);
    expect((err as CouponPoolError).code).toBe('welcome_pool_invalid');
    return (err as Error).message;
  }
  return 'accepted';
}

describe('pool files', () => {
  it('reads a CSV by its code column (any position, with a BOM), or a one-column CSV without a header', async () => {
    expect(await parsePoolFile('\uFEFFbatch,券码,note\nA,NEW-001,x\nA,NEW-002,"multi\nline"\nA,NEW-003,\n', 'codes.csv')).toEqual([
      { code: 'NEW-001', line: 2 },
      { code: 'NEW-002', line: 3 },
      { code: 'NEW-003', line: 5 },
    ]);
    expect(await parsePoolFile('NEW-001\nNEW-002\n', 'codes.csv')).toEqual([
      { code: 'NEW-001', line: 1 },
      { code: 'NEW-002', line: 2 },
    ]);
  });

  it('reads a text file of one code a line, skipping blank lines and # comments', async () => {
    expect(await parsePoolFile('# spring batch\nNEW-001\n\n  NEW-002  \r\n', 'codes.txt')).toEqual([
      { code: 'NEW-001', line: 2 },
      { code: 'NEW-002', line: 4 },
    ]);
  });

  it.each([
    ['NEW-001\nNEW-002\nNEW-001\n', 'codes.txt', 'codes.txt:3: duplicate of line 1'],
    [
      'NEW-001\nNEW 002\n',
      'codes.txt',
      'codes.txt:2: the code has a space (codes are letters, digits, . _ -, starting with a letter or digit)',
    ],
    [
      'code\nNEW-001\n"NEW-002\n',
      'codes.csv',
      'codes.csv:3: CSV: Quote Not Closed: the parsing is finished with an opening quote at line 3',
    ],
    ['code,note\nNEW-001,a\n,b\n', 'codes.csv', 'codes.csv:3: the code column is empty'],
    [
      'serial,name\nNEW-001,a\n',
      'codes.csv',
      'codes.csv:1: has several columns but none named code (or coupon, 券码, 优惠码): add a header row',
    ],
    [
      '券码号\nNEW-001\n',
      'codes.csv',
      'codes.csv:1: the code has the character "券" at the start (codes are letters, digits, . _ -, starting with a letter or digit); a header row needs a column named code (or coupon, 券码, 优惠码)',
    ],
    ['# nothing yet\n', 'codes.txt', 'codes.txt:1: has no codes'],
    [`${'X'.repeat(65)}\n`, 'codes.txt', 'codes.txt:1: the code is 65 characters; at most 64'],
  ])('refuses %j (%s)', async (text, file, message) => {
    expect(await refusal(text, file)).toBe(message);
  });

  it('never quotes a code in the reason (reasons may reach logs)', async () => {
    expect(await refusal('SECRET-1\nSECRET-1\n', 'codes.txt')).not.toContain('SECRET');
  });
});

describe('code patterns', () => {
  it('makes codes of the pattern from unambiguous alphabets', () => {
    const pattern = parsePattern('NEW-{AAA}-{999}-{XX}') as CodePattern;
    expect(pattern.combinations).toBe(24 ** 3 * 10 ** 3 * 32 ** 2);
    for (let i = 0; i < 200; i++) expect(generateCode(pattern)).toMatch(/^NEW-[A-HJ-NP-Z]{3}-\d{3}-[2-9A-HJ-NP-Z]{2}$/);
  });

  it.each([
    ['NEW', 'has no random part: add a group such as {XXXXXX}'],
    ['NEW-{XX', 'has an unmatched "{"'],
    ['NEW-{}', 'has an empty {} group'],
  ])('refuses %s', (text, reason) => {
    expect(parsePattern(text)).toBe(reason);
  });
});
