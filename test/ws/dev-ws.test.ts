import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/cli.js';

describe('wecombot dev --ws', () => {
  it('plays a script over the fake long connection and prints what the bot sends back', async () => {
    const r = await spawnCli(['dev', '--ws', '--script', '-'], 'ping\n', { WECOMBOT_DATABASE_URL: 'memory:', WECOMBOT_LOG_LEVEL: 'warn' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('long connection to the fake server');
    expect(r.stdout).toMatch(/bot> \S/);
  }, 60_000);
});
