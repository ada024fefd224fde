/**
 * Route paths: literal segments and `:name` parameters, matched segment by segment (no
 * wildcards, no optional parts: an intake URL is configured once on the sending platform and
 * must not match by accident).
 */
import { BotConfigError } from '../errors.js';

export type Segment = { literal: string } | { param: string };

const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;
const LITERAL = /^[A-Za-z0-9._~-]+$/;

/** Parses `/leads/:source` into segments. @throws BotConfigError naming the bad part. */
export function parsePathPattern(path: string): Segment[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new BotConfigError(`route path "${String(path)}" must start with '/'`);
  if (path === '/') return [];
  const parts = path.slice(1).replace(/\/$/, '').split('/');
  const seen = new Set<string>();
  return parts.map((part) => {
    const p = PARAM.exec(part);
    if (p) {
      const name = p[1] as string;
      if (seen.has(name)) throw new BotConfigError(`route path "${path}" names the parameter :${name} twice`);
      seen.add(name);
      return { param: name };
    }
    if (!LITERAL.test(part)) {
      throw new BotConfigError(`route path "${path}" has the segment "${part}"`, {
        hint: 'segments are letters, digits, . _ ~ - or a :parameter',
      });
    }
    return { literal: part };
  });
}

/** A shape key: two patterns with the same key match the same paths. */
export function patternShape(segments: readonly Segment[]): string {
  return '/' + segments.map((s) => ('literal' in s ? s.literal : ':')).join('/');
}

/** Matches a request path; resolves parameters (percent-decoded). Undefined when it does not match. */
export function matchPath(segments: readonly Segment[], path: string): Record<string, string> | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const parts = trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = segments[i] as Segment;
    const part = parts[i] as string;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
      continue;
    }
    if (part === '') return undefined;
    try {
      params[seg.param] = decodeURIComponent(part);
    } catch {
      return undefined;
    }
  }
  return params;
}
