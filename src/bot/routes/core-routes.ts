import type { BotPaths } from '../options.js';
import type { RouteTable } from './table.js';

/** Paths a FaaS URL may have: one neutral path for both robots (the signature tells them apart). */
const NEUTRAL_PATHS = ['/', '/wecom'];

/** Adds the core's own paths: health, the robots' callbacks and the neutral FaaS paths. */
export function addCoreRoutes(table: RouteTable, paths: BotPaths): void {
  table.addCore(paths.health, ['GET', 'HEAD'], { kind: 'health' });
  table.addCore(paths.callback, ['GET', 'POST'], { kind: 'callback', robots: ['group'] });
  table.addCore(paths.aibot, ['GET', 'POST'], { kind: 'callback', robots: ['aibot'] });
  for (const neutral of NEUTRAL_PATHS) {
    if (neutral !== paths.callback && neutral !== paths.aibot && neutral !== paths.health) {
      table.addCore(neutral, ['GET', 'POST'], { kind: 'callback', robots: ['group', 'aibot'] });
    }
  }
}
