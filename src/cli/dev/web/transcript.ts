/**
 * Transcripts: a web emulator session saved as JSON Lines, replayable in the page and by
 * `wecombot dev --script FILE`, so that a session becomes a test.
 *
 *   {"wecombot":"transcript","version":1}
 *   {"as":{"userId":"you","name":"你"},"step":{"type":"say","conversationId":"g1","robot":"group","text":"ping"},"expect":["pong"]}
 *   {"as":{"userId":"you","name":"你"},"step":{"type":"click","label":"报名","robot":"group"},"expect":["…"]}
 *
 * One line per step: who acted, what they did, and the summaries of the bot's messages that
 * step produced. A click names its button by label (ids such as task ids change between runs).
 * JSON Lines and not one JSON document: a broken line is reported by its number, and a file
 * can be cut or extended with a text editor.
 */
import { WecombotError } from '../../../errors.js';
import type { InjectKind, Robot, WebMember } from './model.js';

export const TRANSCRIPT_HEADER = { wecombot: 'transcript', version: 1 } as const;

/** A step as a transcript records it: a page action, with a click named by its button's label. */
export type TranscriptStep =
  | { type: 'say'; conversationId: string; robot: Robot; text: string }
  | { type: 'click'; robot: Robot; label: string; conversationId?: string; selected?: { questionKey: string; optionIds: string[] }[] }
  | { type: 'join'; conversationId: string; userId: string; name?: string }
  | { type: 'leave'; conversationId: string; userId: string }
  | { type: 'addGroup'; title: string }
  | { type: 'single'; userId: string }
  | { type: 'inject'; robot: Robot; kind: InjectKind }
  | { type: 'job'; name: string }
  | { type: 'command'; line: string; conversationId?: string };

export interface TranscriptLine {
  as: WebMember;
  step: TranscriptStep;
  /** Summaries of the bot's messages the step produced, in order. */
  expect: string[];
}

export function isTranscript(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  return first !== undefined && /^\s*\{\s*"wecombot"\s*:\s*"transcript"/.test(first);
}

export function formatTranscript(lines: readonly TranscriptLine[]): string {
  return [JSON.stringify(TRANSCRIPT_HEADER), ...lines.map((l) => JSON.stringify(l))].join('\n') + '\n';
}

const ROBOTS = ['group', 'aibot'];
const INJECTIONS = ['45009', '93000', 'slow', 'retry3'];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads a transcript; a bad line is refused with its number and what is wrong with it. */
export function parseTranscript(text: string, file = 'transcript'): TranscriptLine[] {
  const raw = text.split(/\r?\n/);
  const fail = (n: number, reason: string): never => {
    throw new WecombotError('dev_script_unreadable', `${file} line ${n}: ${reason}`, {
      hint: 'a transcript is JSON Lines: the header {"wecombot":"transcript","version":1}, then one {"as","step","expect"} per line',
    });
  };
  const out: TranscriptLine[] = [];
  let header = false;
  raw.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      fail(n, `not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!header) {
      if (!isObj(v) || v.wecombot !== 'transcript') fail(n, 'the first line must be the header {"wecombot":"transcript","version":1}');
      if ((v as Json).version !== 1)
        fail(n, `version ${JSON.stringify((v as Json).version)} is not supported (this wecombot reads version 1)`);
      header = true;
      return;
    }
    out.push(readLine(v, (reason) => fail(n, reason)));
  });
  if (!header) fail(1, 'the file is empty: no transcript header');
  return out;
}

function readLine(v: unknown, fail: (reason: string) => never): TranscriptLine {
  if (!isObj(v)) return fail('a step line must be a JSON object');
  const as = v.as;
  if (!isObj(as) || typeof as.userId !== 'string' || as.userId === '') return fail('"as" must be {"userId": "...", "name": "..."}');
  if (!Array.isArray(v.expect) || !v.expect.every((e) => typeof e === 'string')) return fail('"expect" must be a list of strings');
  const step = v.step;
  if (!isObj(step)) return fail('"step" must be an object');
  const str = (field: string, optional = false): void => {
    const x = step[field];
    if (x === undefined && optional) return;
    if (typeof x !== 'string' || (!optional && x === '')) fail(`step.${field} must be a ${optional ? '' : 'non-empty '}string`);
  };
  const robot = () => {
    if (!ROBOTS.includes(String(step.robot))) fail(`step.robot must be group or aibot, not ${JSON.stringify(step.robot)}`);
  };
  switch (step.type) {
    case 'say':
      str('conversationId');
      robot();
      str('text');
      break;
    case 'click':
      robot();
      str('label');
      str('conversationId', true);
      if (step.selected !== undefined && !Array.isArray(step.selected)) fail('step.selected must be a list of {questionKey, optionIds}');
      break;
    case 'join':
      str('conversationId');
      str('userId');
      str('name', true);
      break;
    case 'leave':
      str('conversationId');
      str('userId');
      break;
    case 'addGroup':
      str('title');
      break;
    case 'single':
      str('userId');
      break;
    case 'inject':
      robot();
      if (!INJECTIONS.includes(String(step.kind))) fail(`step.kind must be one of ${INJECTIONS.join(', ')}`);
      break;
    case 'job':
      str('name');
      break;
    case 'command':
      str('line');
      if (!String(step.line).startsWith('/')) fail('step.line must be a /command');
      break;
    default:
      return fail(`unknown step.type ${JSON.stringify(step.type)}`);
  }
  return {
    as: { userId: as.userId, name: typeof as.name === 'string' ? as.name : as.userId },
    step: step as TranscriptStep,
    expect: v.expect,
  };
}
