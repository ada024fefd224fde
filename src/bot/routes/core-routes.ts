import type { BotPaths } from '../options.js';
import type { RouteTable } from './table.js';

/** Paths a FaaS URL may have: one neutral path for the robots and the corp app (the signature tells them apart). */
const NEUTRAL_PATHS = ['/', '/wecom'];

/** Adds the core's own paths: health, the robots' and the corp app's callbacks and the neutral FaaS paths. */
export function addCoreRoutes(table: RouteTable, paths: BotPaths): void {
  table.addCore(paths.health, ['GET', 'HEAD'], { kind: 'health' });
  table.addCore(paths.callback, ['GET', 'POST'], { kind: 'callback', robots: ['group'] });
  table.addCore(paths.aibot, ['GET', 'POST'], { kind: 'callback', robots: ['aibot'] });
  table.addCore(paths.corp, ['GET', 'POST'], { kind: 'callback', robots: ['corp'] });
  for (const neutral of NEUTRAL_PATHS) {
    if (neutral !== paths.callback && neutral !== paths.aibot && neutral !== paths.health && neutral !== paths.corp) {
      table.addCore(neutral, ['GET', 'POST'], { kind: 'callback', robots: ['group', 'aibot', 'corp'] });
    }
  }
}
