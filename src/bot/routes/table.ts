/**
 * The one route table of a bot: callback paths, the health path and module routes, matched by
 * exact segments (no suffix guessing), with conflicts refused at start-up naming both owners.
 */
import { BotConfigError } from '../errors.js';
import { checkRouteAuth } from './auth.js';
import { matchPath, parsePathPattern, patternShape, type Segment } from './path-pattern.js';
import type { RouteDefinition, RouteMethod, RouteRateLimit } from './types.js';

export type RobotKindList = readonly ('group' | 'aibot' | 'corp')[];

/** What a path leads to. */
export type RouteTarget =
  | { kind: 'callback'; robots: RobotKindList }
  | { kind: 'health' }
  | { kind: 'module'; def: RouteDefinition; bodyLimitBytes: number; rateLimit: RouteRateLimit | false };

interface Entry {
  owner: string;
  pattern: string;
  segments: Segment[];
  shape: string;
  literals: number;
  methods: ReadonlySet<string>;
  target: RouteTarget;
}

export type RouteMatch =
  | { found: true; owner: string; pattern: string; target: RouteTarget; params: Record<string, string> }
  | { found: false; allowed: string[] };

const METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const DEFAULT_ROUTE_BODY_LIMIT = 64 * 1024;
export const DEFAULT_ROUTE_RATE_LIMIT: RouteRateLimit = { limit: 60, windowMs: 60_000 };

export class RouteTable {
  #entries: Entry[] = [];
  /** Entries without parameters by their path: most requests (callbacks) are found with one lookup. */
  #literal = new Map<string, Entry[]>();
  /** Entries with parameters, tried in turn when the literal lookup finds no method. */
  #parameterized: Entry[] = [];

  /** Adds a path of the core (owner `core`). */
  addCore(path: string, methods: readonly string[], target: RouteTarget): void {
    this.#add('core', path, methods, target);
  }

  /** Adds a module's route after checking its settings. */
  addModule(owner: string, def: RouteDefinition, maxBodyBytes: number): void {
    const where = `${owner} route ${String(def?.path)}`;
    if (typeof def?.handler !== 'function') throw new BotConfigError(`${where}: handler must be a function`);
    checkRouteAuth(where, def.auth);
    const methods = (typeof def.method === 'string' ? [def.method] : [...(def.method ?? [])]).map((m) => String(m).toUpperCase());
    if (methods.length === 0) throw new BotConfigError(`${where}: method is missing`);
    for (const m of methods)
      if (!METHODS.includes(m as RouteMethod)) throw new BotConfigError(`${where}: method ${m} is not one of ${METHODS.join(', ')}`);
    const bodyLimitBytes = def.bodyLimitBytes ?? Math.min(DEFAULT_ROUTE_BODY_LIMIT, maxBodyBytes);
    if (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes <= 0 || bodyLimitBytes > maxBodyBytes) {
      throw new BotConfigError(`${where}: bodyLimitBytes must be a whole number from 1 to maxBodyBytes (${maxBodyBytes})`);
    }
    const rateLimit = def.rateLimit === undefined ? DEFAULT_ROUTE_RATE_LIMIT : def.rateLimit;
    if (
      rateLimit !== false &&
      !(Number.isInteger(rateLimit.limit) && rateLimit.limit > 0 && Number.isFinite(rateLimit.windowMs) && rateLimit.windowMs > 0)
    ) {
      throw new BotConfigError(`${where}: rateLimit needs a positive whole limit and a positive windowMs (or false)`);
    }
    this.#add(owner, def.path, methods, { kind: 'module', def, bodyLimitBytes, rateLimit });
  }

  #add(owner: string, pattern: string, methods: readonly string[], target: RouteTarget): void {
    const segments = parsePathPattern(pattern);
    const shape = patternShape(segments);
    for (const e of this.#entries) {
      if (e.shape !== shape) continue;
      const both = methods.filter((m) => e.methods.has(m));
      if (both.length > 0) {
        throw new BotConfigError(`${both.join('/')} ${pattern} is claimed by both ${e.owner} and ${owner}`, {
          hint: 'give one of them another path',
        });
      }
    }
    const literals = segments.filter((s) => 'literal' in s).length;
    const entry: Entry = { owner, pattern, segments, shape, literals, methods: new Set(methods), target };
    this.#entries.push(entry);
    if (literals === segments.length) {
      const list = this.#literal.get(shape) ?? [];
      list.push(entry);
      this.#literal.set(shape, list);
    } else this.#parameterized.push(entry);
  }

  /** The entry for a request; on a known path with another method, the methods it allows. */
  match(method: string, path: string): RouteMatch {
    const allowed = new Set<string>();
    // A literal path beats a parameter: /leads/test before /leads/:source.
    const key = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
    for (const entry of this.#literal.get(key) ?? []) {
      if (entry.methods.has(method)) return { found: true, owner: entry.owner, pattern: entry.pattern, target: entry.target, params: {} };
      for (const m of entry.methods) allowed.add(m);
    }
    let best: { entry: Entry; params: Record<string, string> } | undefined;
    for (const entry of this.#parameterized) {
      const params = matchPath(entry.segments, path);
      if (!params) continue;
      if (!entry.methods.has(method)) {
        for (const m of entry.methods) allowed.add(m);
        continue;
      }
      if (!best || entry.literals > best.entry.literals) best = { entry, params };
    }
    if (best) return { found: true, owner: best.entry.owner, pattern: best.entry.pattern, target: best.entry.target, params: best.params };
    return { found: false, allowed: [...allowed] };
  }

  /** Every path and who owns it (for start-up logs). */
  list(): { owner: string; path: string; methods: string[] }[] {
    return this.#entries.map((e) => ({ owner: e.owner, path: e.pattern, methods: [...e.methods] }));
  }
}
