/**
 * One code per customer, ever: concurrent claims for one customer from two instances (3
 * retries each) get the same single code, while claims for other customers take distinct
 * codes; the pool empties cleanly; imports are idempotent. On SQLite (two connections to one
 * file) and on PostgreSQL (two pools).
 */
import { describe, expect, it } from 'vitest';
import { claimCoupon, heldCoupon } from '../../../src/bots/welcome/coupons/claim.js';
import { importCodes } from '../../../src/bots/welcome/coupons/import.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { exportCoupons, poolStatus } from '../../../src/bots/welcome/coupons/report.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { postgresPair, sqlitePair, type StorePair } from './stores.js';

const codes = (n: number, prefix = 'NEW') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);

function describeClaims(name: string, open: () => Promise<StorePair>, available: () => Promise<boolean>) {
  describe(`coupon claims on ${name}`, () => {
    it('3 retries × 2 instances for one customer issue exactly 1 code, amid 8 other customers claiming', async () => {
      if (!(await available())) return;
      const pair = await open();
      try {
        const [a, b] = await Promise.all(pair.stores.map((s) => openCouponLedger(s, 'spring')));
        await importCodes(a!, codes(20), 'test');
        const same = Array.from({ length: 6 }, (_, i) => claimCoupon(i % 2 ? b! : a!, { customer: 'wmAlice', via: 'customer-add' }));
        const others = Array.from({ length: 8 }, (_, i) => claimCoupon(i % 2 ? a! : b!, { customer: `wmOther${i}`, via: 'first-message' }));
        const results = await Promise.all([...same, ...others]);
        const alice = results.slice(0, 6);
        const aliceCodes = new Set(alice.map((r) => (r.kind === 'issued' ? r.code : r.kind)));
        expect(aliceCodes.size).toBe(1);
        expect(alice.filter((r) => r.kind === 'issued' && r.fresh)).toHaveLength(1);
        const issued = await exportCoupons(a!, 'issued');
        expect(issued).toHaveLength(9);
        expect(issued.filter((c) => c.customer === 'wmAlice').map((c) => c.code)).toEqual([...aliceCodes]);
        expect(new Set(issued.map((c) => c.customer)).size).toBe(9);
        // Ever: a claim much later, from either instance, still gives that code.
        const later = await claimCoupon(b!, { customer: 'wmAlice', via: 'command' });
        expect(later).toMatchObject({ kind: 'issued', code: [...aliceCodes][0], fresh: false });
        expect((await poolStatus(a!)).free).toBe(11);
      } finally {
        await pair.close();
      }
    });

    it('hands out the oldest code first, says "empty" once the pool is used up, and keeps holders their code', async () => {
      if (!(await available())) return;
      const pair = await open();
      try {
        const ledger = await openCouponLedger(pair.stores[0], 'tiny');
        await importCodes(ledger, codes(2), 'test');
        expect(await claimCoupon(ledger, { customer: 'u1', via: 'first-message' })).toMatchObject({
          kind: 'issued',
          code: 'NEW-001',
          seq: 1,
        });
        expect(await claimCoupon(ledger, { customer: 'u2', via: 'first-message' })).toMatchObject({
          kind: 'issued',
          code: 'NEW-002',
          seq: 2,
        });
        expect(await claimCoupon(ledger, { customer: 'u3', via: 'first-message' })).toEqual({ kind: 'empty' });
        expect(await claimCoupon(ledger, { customer: 'u1', via: 'command' })).toMatchObject({
          kind: 'issued',
          code: 'NEW-001',
          fresh: false,
        });
        expect(await heldCoupon(ledger, 'u3')).toBeUndefined();
        // Another pool is another campaign: u1 may hold one there too.
        const other = await openCouponLedger(pair.stores[1], 'autumn');
        await importCodes(other, codes(1, 'AUT'), 'test');
        expect(await claimCoupon(other, { customer: 'u1', via: 'command' })).toMatchObject({ kind: 'issued', code: 'AUT-001' });
      } finally {
        await pair.close();
      }
    });

    it('imports are idempotent: a code already in any pool is skipped, never given a second row', async () => {
      if (!(await available())) return;
      const pair = await open();
      try {
        const [a, b] = await Promise.all(pair.stores.map((s) => openCouponLedger(s, 'p')));
        const [first, second] = await Promise.all([importCodes(a!, codes(300), 'f1'), importCodes(b!, codes(310), 'f2')]);
        expect(first!.added + second!.added).toBe(310);
        expect(first!.skipped + second!.skipped).toBe(300);
        const all = await exportCoupons(a!);
        expect(all).toHaveLength(310);
        expect(new Set(all.map((c) => c.seq)).size).toBe(310);
        const elsewhere = await openCouponLedger(pair.stores[0], 'q');
        expect(await importCodes(elsewhere, ['NEW-001', 'Q-1'], 'f3')).toEqual({ added: 1, skipped: 1, free: 1 });
      } finally {
        await pair.close();
      }
    });
  });
}

describeClaims('SQLite', sqlitePair, async () => true);
describeClaims('PostgreSQL', postgresPair, () => serviceAvailable('postgres', POSTGRES_URL));
