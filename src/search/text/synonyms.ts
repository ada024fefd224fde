import { normalize } from './normalize.js';

/** Groups of interchangeable words, e.g. `[['云函数', 'scf']]`. Stored normalized. */
export type SynonymGroups = string[][];

/**
 * Parses synonym definitions: one group a line (or array item), members separated by `=` or
 * `,`; `#` starts a comment.
 *
 * @example parseSynonyms('云函数 = SCF = serverless cloud function\nCOS = 对象存储')
 */
export function parseSynonyms(source: string | readonly string[] | readonly (readonly string[])[]): SynonymGroups {
  const lines: Array<string | readonly string[]> = typeof source === 'string' ? source.split(/\r?\n/) : [...source];
  const groups: SynonymGroups = [];
  for (const line of lines) {
    const members = typeof line === 'string' ? line.replace(/#.*$/, '').split(/[=,，]/) : line;
    const group = [...new Set(members.map((m) => normalize(m).replace(/\s+/g, ' ').trim()).filter(Boolean))];
    if (group.length >= 2) groups.push(group);
  }
  return groups;
}

/** A synonym occurrence in a keyword. */
export interface SynonymMatch {
  start: number;
  end: number;
  group: string[];
}

/** Members by their first character, per groups array (built on first use). */
const byFirstChar = new WeakMap<SynonymGroups, Map<string, Array<{ member: string; group: string[] }>>>();

function memberIndex(groups: SynonymGroups): Map<string, Array<{ member: string; group: string[] }>> {
  let index = byFirstChar.get(groups);
  if (!index) {
    index = new Map();
    for (const group of groups) {
      for (const member of group) {
        let list = index.get(member[0]!);
        if (!list) index.set(member[0]!, (list = []));
        list.push({ member, group });
      }
    }
    byFirstChar.set(groups, index);
  }
  return index;
}

const ASCII_WORD = /[a-z0-9]/;

/** Finds group members in a normalized string, longest first, without overlaps, left to right. */
export function findSynonyms(text: string, groups: SynonymGroups): SynonymMatch[] {
  if (groups.length === 0) return [];
  const index = memberIndex(groups);
  const candidates: SynonymMatch[] = [];
  for (let at = 0; at < text.length; at++) {
    const list = index.get(text[at]!);
    if (!list) continue;
    for (const { member, group } of list) {
      if (!text.startsWith(member, at)) continue;
      const end = at + member.length;
      // ASCII members match whole words only: `cos` must not fire inside `cosfs`.
      if (ASCII_WORD.test(member[0]!) && at > 0 && ASCII_WORD.test(text[at - 1]!)) continue;
      if (ASCII_WORD.test(member[member.length - 1]!) && end < text.length && ASCII_WORD.test(text[end]!)) continue;
      candidates.push({ start: at, end, group });
    }
  }
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: SynonymMatch[] = [];
  for (const c of candidates) {
    if (taken.every((t) => c.end <= t.start || c.start >= t.end)) taken.push(c);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/**
 * Unions groups that share a member, keeping first-seen order: `收费` in a built-in group and
 * `收费 = 月费` of the user's both mean all of them.
 *
 * @example mergeGroups([['a', 'b'], ['b', 'c'], ['d', 'e']]) // [['a', 'b', 'c'], ['d', 'e']]
 */
export function mergeGroups(groups: SynonymGroups): SynonymGroups {
  const owner = new Map<string, number>();
  const merged: (Set<string> | undefined)[] = [];
  for (const group of groups) {
    const hits = [...new Set(group.map((w) => owner.get(w)).filter((i): i is number => i !== undefined))];
    const target = hits[0] ?? merged.push(new Set()) - 1;
    for (const other of hits.slice(1)) {
      for (const w of merged[other]!) {
        merged[target]!.add(w);
        owner.set(w, target);
      }
      merged[other] = undefined;
    }
    for (const w of group) {
      merged[target]!.add(w);
      owner.set(w, target);
    }
  }
  return merged.filter((g): g is Set<string> => g !== undefined && g.size >= 2).map((g) => [...g]);
}
