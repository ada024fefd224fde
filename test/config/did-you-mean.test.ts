import { describe, expect, it } from 'vitest';
import { defineBotModule } from '../../src/bot/module.js';
import { didYouMean } from '../../src/config/did-you-mean.js';
import { validateConfig } from '../../src/config/schema.js';

describe('did you mean', () => {
  it('suggests the close known name: case, separators, a typo, a swap; nothing when far', () => {
    const known = ['ackBudgetMs', 'logLevel', 'server', 'paths'];
    expect(didYouMean('ackBudgetMS', known)).toBe('ackBudgetMs');
    expect(didYouMean('log_level', known)).toBe('logLevel');
    expect(didYouMean('sever', known)).toBe('server');
    expect(didYouMean('pahts', known)).toBe('paths');
    expect(didYouMean('database', known)).toBeUndefined();
  });

  it('a config with an unknown field names it, the fix and the fields of that object', () => {
    expect(() => validateConfig({ logLevl: 'info' }, 'wecombot.config.ts')).toThrow(
      /^wecombot\.config\.ts: \(root\): unknown field\(s\) "logLevl" \(did you mean "logLevel"\?\); the fields here are /,
    );
    expect(() => validateConfig({ server: { prot: 3000 } }, 'c.json')).toThrow(
      /^c\.json: server: unknown field\(s\) "prot" \(did you mean "port"\?\); the fields here are port, host/,
    );
  });

  it('a module definition with a misspelt field gets the suggestion', () => {
    expect(() => defineBotModule({ name: 'x', setpu: () => undefined } as never)).toThrow(
      /unknown field "setpu" \(did you mean "setup"\?\)/,
    );
  });
});
