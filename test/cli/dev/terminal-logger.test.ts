import { describe, expect, it } from 'vitest';
import { formatLogLine, terminalLogger } from '../../../src/cli/dev/terminal-logger.js';

describe('the bot log in the dev terminal', () => {
  it('one short line: level, message, error message, fields without the noise', () => {
    const json = JSON.stringify({
      level: 50,
      time: 1,
      pid: 2,
      hostname: 'h',
      msg: 'handler failed',
      err: { type: 'Error', message: 'boom' },
      code: 'bot_handler_failed',
      chatId: 'wr1',
    });
    expect(formatLogLine(json)).toBe('(log error) handler failed: boom  code=bot_handler_failed chatId=wr1');
    expect(formatLogLine('not json\n')).toBe('(log) not json');
  });

  it('prints warnings and above by default, with the configured secrets scrubbed', () => {
    const lines: string[] = [];
    const log = terminalLogger((l) => lines.push(l), undefined, ['s3cr3t-token-value']);
    log.info('hidden');
    log.warn({ detail: 'token s3cr3t-token-value' }, 'shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\(log warn\) shown {2}detail=/);
    expect(lines[0]).not.toContain('s3cr3t-token-value');
  });
});
