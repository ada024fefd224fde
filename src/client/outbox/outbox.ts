import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { WecombotError } from '../../errors.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import type { Store } from '../../store/store.js';
import { CallSkippedError, type DeliveryEngine } from '../engine.js';
import type { WebhookLogger } from '../logger.js';
import { isTransient } from '../retry.js';
import { resolveTarget, type ResolvedTarget } from '../target.js';
import { normaliseRow, outboxMigrations, outboxTable, type OutboxRow, type OutboxStatus, type OutboxTables } from './schema.js';
import type { StoredError } from './stored-error.js';

/** Tuning of the durable outbox. */
export interface OutboxOptions {
  /**
   * How long a worker owns a row it is sending. Renewed right before every attempt, so it only
   * has to cover one HTTP exchange; after a crash, the rows it held wait this long. Default 60 s.
   */
  leaseMs?: number;
  /** Delivery rounds per row before it is marked failed (each round already retries in-process). Default 5. */
  maxAttempts?: number;
  /** Delay before a row whose round failed transiently is tried again; doubled per round. Default 30 s. */
  retryDelayMs?: number;
  /** Background worker: pause between polls when idle. Default 1000 ms. */
  pollMs?: number;
  /**
   * On first use, deliver in the background what an earlier process left pending (rows older
   * than this client), waiting out the leases of a crashed worker. Default true.
   */
  resume?: boolean;
}

/** Counts per status. */
export type OutboxCounts = Record<OutboxStatus, number>;

/** Where one enqueued row stands. */
export interface OutboxEntry {
  id: number;
  robotId: string;
  label: string;
  part: number;
  status: OutboxStatus;
  attempts: number;
  errcode: number | null;
  /** The last delivery error, when a round failed. */
  lastError: StoredError | null;
}

interface Deps {
  store: Store;
  engine: DeliveryEngine;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  logger: WebhookLogger | undefined;
}

/**
 * A durable outbox in the store's SQL database. `enqueue` writes rows in one transaction;
 * workers (this process or any other sharing the database) claim a row with a lease, send it
 * and mark it delivered. Delivery is at-least-once: a crash after WeCom accepted a message and
 * before the row is marked delivered sends it again after the lease expires (that is the only
 * duplicate window, besides a timeout whose request WeCom had in fact accepted).
 * Order per robot is kept: a robot's rows go in id order, and a row that must wait holds back
 * the rows behind it.
 */
export class Outbox {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly o: Required<OutboxOptions>;
  private readonly startedAt: number;
  private stopping = false;
  private resuming: Promise<void> | undefined;
  private readonly table: 'outbox';
  private readonly active = new Map<string, Promise<number>>();
  private ready: Promise<void> | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** The typed error of rows that failed in this process, for the report of `send` (read once). */
  private readonly errors = new Map<number, WecombotError>();

  constructor(
    private readonly d: Deps,
    options: OutboxOptions = {},
  ) {
    this.o = {
      leaseMs: options.leaseMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 30_000,
      pollMs: options.pollMs ?? 1000,
      resume: options.resume ?? true,
    };
    this.startedAt = d.now();
    this.table = outboxTable(d.store.namespace);
  }

  private db(): Kysely<OutboxTables> {
    return this.d.store.db<OutboxTables>();
  }

  /** Creates the table once (idempotent across processes), then starts the resume (see `resume`). */
  init(): Promise<void> {
    this.ready ??= this.d.store.migrate(outboxMigrations(this.d.store.namespace, this.d.store.sqlDialect)).then(() => {
      // Closed while the table was being made: the next start resumes instead.
      if (this.o.resume && !this.stopping) {
        this.resuming = this.resume().catch((err: unknown) => {
          this.d.logger?.error?.({ err: String((err as Error)?.message ?? err) }, 'outbox resume failed');
        });
      }
    });
    return this.ready;
  }

  /** Delivers the rows an earlier process left pending, robot by robot, until none is left. */
  private async resume(): Promise<void> {
    const rows = await this.db()
      .selectFrom(this.table)
      .select('robot_id')
      .distinct()
      .where('status', '=', 'pending')
      .where('created_at', '<', this.startedAt)
      .execute();
    if (rows.length === 0) return;
    this.d.logger?.info?.({ robots: rows.length }, 'outbox: resuming messages left pending by an earlier process');
    await this.drain({ robotIds: rows.map((r) => r.robot_id), untilEmpty: true });
  }

  /**
   * Stores messages for targets in one transaction. Rows are written message-major (message 1
   * to every robot, then message 2 …) so ids interleave robots. Returns the row ids per target,
   * in the order of `items`.
   */
  async enqueue(items: { target: ResolvedTarget; bodies: WebhookMessage[] }[]): Promise<number[][]> {
    await this.init();
    const batch = randomBytes(8).toString('hex');
    const now = this.d.now();
    const rows: (Omit<OutboxRow, 'id'> & { item: number })[] = [];
    const longest = Math.max(0, ...items.map((i) => i.bodies.length));
    for (let part = 0; part < longest; part++) {
      items.forEach((item, index) => {
        const body = item.bodies[part];
        if (!body) return;
        rows.push({
          item: index,
          batch,
          part,
          robot_id: item.target.robotId,
          target_url: item.target.sendUrl,
          label: item.target.label,
          body: JSON.stringify(body),
          status: 'pending',
          attempts: 0,
          lease_owner: null,
          lease_until: null,
          not_before: now,
          created_at: now,
          delivered_at: null,
          errcode: null,
          last_error_code: null,
          last_error_message: null,
        });
      });
    }
    const ids: number[][] = items.map(() => []);
    await this.db()
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < rows.length; i += 400) {
          const chunk = rows.slice(i, i + 400);
          const inserted = await trx
            .insertInto(this.table)
            .values(chunk.map(({ item: _item, ...r }) => r))
            .returning('id')
            .execute();
          inserted.forEach((r, j) => ids[(chunk[j] as { item: number }).item]?.push(Number(r.id)));
        }
      });
    this.wake?.();
    return ids;
  }

  /** The current state of rows. */
  async entries(ids: number[]): Promise<OutboxEntry[]> {
    if (ids.length === 0) return [];
    const out: OutboxEntry[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db()
        .selectFrom(this.table)
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .orderBy('id')
        .execute();
      for (const raw of rows) {
        const r = normaliseRow(raw);
        const lastError = r.last_error_code === null ? null : { code: r.last_error_code, message: r.last_error_message ?? '' };
        out.push({
          id: r.id,
          robotId: r.robot_id,
          label: r.label,
          part: r.part,
          status: r.status,
          attempts: r.attempts,
          errcode: r.errcode,
          lastError,
        });
      }
    }
    return out;
  }

  /** The typed error of a row that failed in this process (and forgets it). */
  takeError(id: number): WecombotError | undefined {
    const e = this.errors.get(id);
    this.errors.delete(id);
    return e;
  }

  /** Rows per status. */
  async counts(): Promise<OutboxCounts> {
    await this.init();
    const rows = await this.db()
      .selectFrom(this.table)
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts: OutboxCounts = { pending: 0, delivered: 0, failed: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /** Deletes delivered and failed rows older than `olderThanMs`; resolves to the number removed. */
  async prune(olderThanMs = 7 * 24 * 60 * 60 * 1000): Promise<number> {
    await this.init();
    const res = await this.db()
      .deleteFrom(this.table)
      .where('status', '!=', 'pending')
      .where('created_at', '<', this.d.now() - olderThanMs)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /**
   * Delivers what is ready, robot by robot in parallel, until nothing ready is left.
   * `robotIds` limits it to some robots; `untilEmpty` keeps going (polling) until no row is
   * pending at all, waiting out leases of crashed workers and scheduled retries.
   * Resolves to the number of rows this call finished (delivered or failed).
   */
  async drain(options: { robotIds?: Iterable<string>; untilEmpty?: boolean } = {}): Promise<number> {
    await this.init();
    const only = options.robotIds ? [...new Set(options.robotIds)] : undefined;
    let total = 0;
    for (;;) {
      if (this.stopping) return total;
      const robots = await this.readyRobots(only);
      for (const r of robots) this.startRobot(r);
      const tasks = [...this.active.entries()].filter(([r]) => !only || only.includes(r)).map(([, t]) => t);
      const done = (await Promise.all(tasks)).reduce((a, b) => a + b, 0);
      total += done;
      if (done > 0) continue;
      // Nothing we could take: rows wait for a retry time, or another worker holds them.
      if (!options.untilEmpty || (await this.pendingCount(only)) === 0) return total;
      await this.d.sleep(this.o.pollMs);
    }
  }

  /** Starts a background worker in this process (polls every `pollMs` when idle). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const robots = await this.readyRobots(undefined);
          for (const r of robots) this.startRobot(r);
        } catch (err) {
          this.d.logger?.error?.({ err: String((err as Error)?.message ?? err) }, 'outbox poll failed');
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.o.pollMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    })();
  }

  /**
   * Stops the background worker, the resume and any drain after the row each robot is sending;
   * waits for those rows. Pending rows stay for the next start.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    this.wake?.();
    // A close right after the first send must not leave the migration running on a closed store.
    await this.ready?.catch(() => undefined);
    await this.loop;
    await this.resuming;
    await Promise.all(this.active.values());
  }

  private async pendingCount(only: string[] | undefined): Promise<number> {
    let q = this.db()
      .selectFrom(this.table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending');
    if (only) q = q.where('robot_id', 'in', only);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private async readyRobots(only: string[] | undefined): Promise<string[]> {
    if (only && only.length === 0) return [];
    const now = this.d.now();
    let q = this.db()
      .selectFrom(this.table)
      .select('robot_id')
      .distinct()
      .where('status', '=', 'pending')
      .where('not_before', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', this.owner)]));
    if (only) q = q.where('robot_id', 'in', only);
    const rows = await q.execute();
    return rows.map((r) => r.robot_id).filter((r) => !this.active.has(r));
  }

  private startRobot(robotId: string): void {
    if (this.active.has(robotId) || this.stopping) return;
    const task = this.d.engine
      .inLane(robotId, () => this.runRobot(robotId))
      .catch((err: unknown) => {
        this.d.logger?.error?.({ robot: robotId, err: String((err as Error)?.message ?? err) }, 'outbox robot task failed');
        return 0;
      })
      .finally(() => this.active.delete(robotId));
    this.active.set(robotId, task);
  }

  /**
   * Sends a robot's ready rows in id order; stops at the first row that is not ready. One
   * worker at a time per robot (a store lease lock), so order holds across workers too.
   */
  private async runRobot(robotId: string): Promise<number> {
    const lock = `webhook-outbox:${robotId}`;
    const lease = { owner: this.owner, ttlMs: this.o.leaseMs };
    let lockedAt = this.d.now();
    if (!(await this.d.store.acquireLock(lock, lease))) return 0;
    // Renewing costs a write; a lease less than half used is still certainly ours.
    const renewLock = async () => {
      if (this.d.now() - lockedAt < this.o.leaseMs / 2) return true;
      lockedAt = this.d.now();
      return this.d.store.renewLock(lock, lease);
    };
    try {
      return await this.runRobotLocked(robotId, renewLock);
    } finally {
      await this.d.store.releaseLock(lock, this.owner).catch(() => false);
    }
  }

  private async runRobotLocked(robotId: string, renewLock: () => Promise<boolean>): Promise<number> {
    let finished = 0;
    for (;;) {
      const rows = (
        await this.db()
          .selectFrom(this.table)
          .selectAll()
          .where('status', '=', 'pending')
          .where('robot_id', '=', robotId)
          .orderBy('id')
          .limit(50)
          .execute()
      ).map(normaliseRow);
      if (rows.length === 0) return finished;
      for (const row of rows) {
        if (this.stopping) return finished;
        const now = this.d.now();
        const leasedByOther = row.lease_until !== null && row.lease_until >= now && row.lease_owner !== this.owner;
        if (row.not_before > now || leasedByOther || !(await renewLock()) || !(await this.claim(row.id))) return finished;
        const outcome = await this.deliver(row);
        if (outcome === 'skipped') return finished;
        if (outcome === 'rescheduled') return finished;
        finished += 1;
      }
    }
  }

  private leaseOpen(now: number) {
    return (eb: ExpressionBuilder<OutboxTables, 'outbox'>) =>
      eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', this.owner)]);
  }

  /** When this worker last claimed or renewed each row it holds. */
  private readonly leasedAt = new Map<number, number>();

  private async claim(id: number): Promise<boolean> {
    const now = this.d.now();
    this.leasedAt.set(id, now);
    const res = await this.db()
      .updateTable(this.table)
      .set({ lease_owner: this.owner, lease_until: now + this.o.leaseMs })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where(this.leaseOpen(now))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Renews our lease right before a request; false when another worker has taken the row. */
  private async renew(id: number): Promise<boolean> {
    const now = this.d.now();
    // A lease less than half used cannot have been taken over: skip the write.
    if (now - (this.leasedAt.get(id) ?? 0) < this.o.leaseMs / 2) return true;
    this.leasedAt.set(id, now);
    const res = await this.db()
      .updateTable(this.table)
      .set({ lease_until: now + this.o.leaseMs })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('lease_owner', '=', this.owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  private async deliver(row: OutboxRow): Promise<'delivered' | 'failed' | 'rescheduled' | 'skipped'> {
    const target = resolveTarget(row.target_url, '');
    const outcome = await this.d.engine.call(target, {
      url: target.sendUrl,
      body: row.body,
      contentType: 'application/json',
      limited: true,
      beforeAttempt: () => this.renew(row.id),
    });
    this.leasedAt.delete(row.id);
    const now = this.d.now();
    const table = this.db().updateTable(this.table).where('id', '=', row.id).where('status', '=', 'pending');
    if (outcome.ok) {
      // Marked even if our lease lapsed meanwhile: the message did go out, and a worker that
      // took the row over re-checks the status before its own attempt.
      await table
        .set({ status: 'delivered', delivered_at: now, lease_owner: null, lease_until: null, attempts: row.attempts + 1 })
        .execute();
      return 'delivered';
    }
    if (outcome.error instanceof CallSkippedError) return 'skipped';
    this.errors.set(row.id, outcome.error);
    const attempts = row.attempts + 1;
    const err = outcome.error as WecombotError & { errcode?: number; status?: number };
    const transient = isTransient(err) && attempts < this.o.maxAttempts;
    await table
      .set({
        status: transient ? 'pending' : 'failed',
        attempts,
        not_before: transient ? now + this.o.retryDelayMs * 2 ** (attempts - 1) : row.not_before,
        lease_owner: null,
        lease_until: null,
        errcode: outcome.errcode ?? null,
        last_error_code: err.code,
        last_error_message: err.message,
      })
      .where('lease_owner', '=', this.owner)
      .execute();
    return transient ? 'rescheduled' : 'failed';
  }
}
