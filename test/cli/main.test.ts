import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

describe('wecombot CLI', () => {
  it('lists its commands in --help', () => {
    const help = buildProgram().helpInformation();
    expect(help).toContain('Usage: wecombot');
  });

  it('runs as a binary from the compiled dist', () => {
    const out = execFileSync(process.execPath, ['bin/wecombot.js', '--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: wecombot');
  });
});
