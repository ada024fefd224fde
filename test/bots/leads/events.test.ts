/**
 * `lead.created` (src/bot/events.ts) reaches the other modules of the bot once per new lead —
 * the tags bot's "lead from source Z" rules listen to it — and never for a replay or a repeat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineBotModule } from '../../../src/bot/module.js';
import type { DomainEvent } from '../../../src/bot/events.js';
import { leads } from '../../../src/bots/leads/module.js';
import { botRequest } from '../../../src/bot/request.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { baseConfig, feiyuAuth, feiyuClue, testClock } from './rig.js';

let group: TestGroup | undefined;
let store: Store | undefined;
afterEach(async () => {
  await group?.close();
  await store?.close();
});

describe('leads: lead.created', () => {
  it('is emitted once per new lead, with the normalized phone, region and product', async () => {
    const heard: DomainEvent<'lead.created'>[] = [];
    const listener = defineBotModule({
      name: 'listener',
      setup(_m, _o, services) {
        services.events.on('lead.created', (e) => void heard.push(e));
      },
    });
    const clock = testClock();
    store = await openStore({ databaseUrl: 'memory:' });
    group = await createTestGroup({ store, bots: [listener(), leads({ ...baseConfig('http://127.0.0.1:9/unused'), now: clock.now })] });
    const send = async (clue: Record<string, unknown>) => {
      const body = JSON.stringify(clue);
      const { query, headers } = feiyuAuth(body, clock.now());
      const res = await group!.bot.handle(
        botRequest({ method: 'POST', url: `/leads/feiyu${query}`, headers: { 'content-type': 'application/json', ...headers }, body }),
      );
      expect(res.status).toBe(200);
    };
    await send(feiyuClue());
    await send(feiyuClue()); // a replay
    await send(feiyuClue({ id: 'other', telphone: '+86 13812341234' })); // a repeat
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      type: 'lead.created',
      source: 'leads',
      payload: { source: 'feiyu', region: '上海 上海', product: '产品A', phone: '+8613812341234' },
    });
    expect(heard[0]?.payload.leadId).toMatch(/^L[0-9A-Z]{8}$/);
  });
});
