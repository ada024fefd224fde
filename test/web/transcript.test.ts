import { describe, expect, it } from 'vitest';
import { formatTranscript, isTranscript, parseTranscript } from '../../src/cli/dev/web/transcript.js';

const HEADER = '{"wecombot":"transcript","version":1}';
const as = { userId: 'you', name: '你' };

describe('transcripts', () => {
  it('round-trips what the page saves', () => {
    const lines = [
      { as, step: { type: 'say' as const, conversationId: 'g1', robot: 'group' as const, text: 'ping' }, expect: ['pong'] },
      { as, step: { type: 'click' as const, robot: 'aibot' as const, label: '参加', conversationId: 'g1' }, expect: ['[card update] x'] },
    ];
    const text = formatTranscript(lines);
    expect(isTranscript(text)).toBe(true);
    expect(isTranscript('ping\n/as alice\n')).toBe(false);
    expect(parseTranscript(text)).toEqual(lines);
  });

  it.each([
    ['', 'line 1: the file is empty'],
    ['ping', 'line 1: not JSON'],
    ['{"wecombot":"transcript","version":2}', 'line 1: version 2 is not supported'],
    [
      `${HEADER}\n\n{"as":{"userId":"you"},"step":{"type":"say","conversationId":"g1","robot":"bot","text":"x"},"expect":[]}`,
      'line 3: step.robot must be group or aibot',
    ],
    [`${HEADER}\n{"as":{"userId":"you"},"step":{"type":"dance"},"expect":[]}`, 'line 2: unknown step.type "dance"'],
    [`${HEADER}\n{"as":{"userId":"you"},"step":{"type":"command","line":"weather"},"expect":[]}`, 'line 2: step.line must be a /command'],
    [`${HEADER}\n{"as":{},"step":{"type":"job","name":"x"},"expect":[]}`, 'line 2: "as" must be'],
    [`${HEADER}\n{"as":{"userId":"you"},"step":{"type":"job","name":"x"},"expect":"pong"}`, 'line 2: "expect" must be a list of strings'],
    [
      `${HEADER}\n{"as":{"userId":"you"},"step":{"type":"say","conversationId":"g1","robot":"group"},"expect":[]}`,
      'line 2: step.text must be a non-empty string',
    ],
  ])('refuses a malformed file with the line and the reason (%#)', (text, message) => {
    expect(() => parseTranscript(text, 'chat.jsonl')).toThrow(`chat.jsonl ${message}`);
  });
});
