/**
 * The shared budget store: spend and reservations in Redis, so N processes on N machines share
 * one limit. Reserve and settle are single Lua scripts (atomic; see redis-scripts.ts).
 *
 * Redis unreachable: a reserve that does not answer within `timeoutMs` (or fails at once because
 * the connection is down — commands are never queued while disconnected) follows `failOpen`:
 * refuse (`store_unavailable`, the default) or admit unguarded; either is counted. Settles and
 * charges that fail are kept (bounded) and replayed in order when Redis is back; each carries an
 * op id applied at most once, so a replay never charges twice. A reserve that timed out may
 * still land later: a release for its hold is queued behind it.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../config/errors.js';
import { errorMessage } from '../../util/error-message.js';
import { PersonNotice } from '../notice.js';
import { WINDOW_BUCKETS } from '../rolling-spend.js';
import type { TrackedBudget } from '../tracked-budget.js';
import { BUDGET_WINDOW_MS } from '../types.js';
import { RESERVE_SCRIPT, SETTLE_SCRIPT } from './redis-scripts.js';
import type { BudgetStore, ReserveOutcome, StoreHold } from './types.js';

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port[/db]`, `rediss://…`, or `unix:///path/to/redis.sock`. */
  url: string;
  /** Prefix of every key. Default `llm-cost:budget:`. */
  keyPrefix: string;
  /** A reserve that takes longer is treated as Redis being unavailable. */
  timeoutMs: number;
  /** Admit calls unguarded while Redis is unavailable (default false: refuse them). */
  failOpen: boolean;
  /** How long a hold lives if its process never settles it. */
  holdTimeoutMs: number;
}

/** Settles/charges kept while Redis is down, at most (the oldest are dropped past it, and said). */
export const MAX_PENDING_OPS = 10_000;

interface RedisLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  quit(): Promise<unknown>;
  disconnect(): void;
  status: string;
  llmCostReserve(...args: string[]): Promise<unknown>;
  llmCostSettle(...args: string[]): Promise<unknown>;
}

type RedisConstructor = new (...args: unknown[]) => RedisLike;

/** Loads `ioredis` (an optional peer dependency) from the app, or from us. */
function loadIoredis(): RedisConstructor {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  for (const from of [join(process.cwd(), 'index.js'), here]) {
    try {
      const mod = createRequire(from)('ioredis') as { default?: RedisConstructor } & RedisConstructor;
      return mod.default ?? mod;
    } catch {
      // try the next place
    }
  }
  throw new ConfigError(
    'llm-cost-otel: budgetStore.redis needs the ioredis package, which is not installed. Run `npm install ioredis` (or remove budgetStore / LLM_COST_BUDGET_REDIS_URL).',
  );
}

function connectionArgs(url: string): unknown[] {
  if (url.startsWith('unix:')) return [{ path: url.replace(/^unix:(\/\/)?/, '') }];
  return [url];
}

interface PendingOp {
  args: string[];
}

export class RedisStore implements BudgetStore {
  readonly kind = 'redis';
  private readonly client: RedisLike;
  private readonly pending: PendingOp[] = [];
  private readonly notice = new PersonNotice();
  private flushing = false;
  /** Until the first connection is up, reserves wait for it (within the timeout) instead of failing. */
  private firstReady?: Promise<void>;
  private closed = false;
  private droppedCount = 0;

  constructor(private readonly options: RedisStoreOptions) {
    const Redis = loadIoredis();
    this.client = new Redis(...connectionArgs(options.url), {
      // Never queue a command while disconnected, never resend one after a reconnect: a late
      // reserve would hold money for a call already refused or admitted.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.max(options.timeoutMs, 1000),
      retryStrategy: (times: number) => Math.min(50 * times, 1000),
    });
    this.client.defineCommand('llmCostReserve', { numberOfKeys: 0, lua: RESERVE_SCRIPT });
    this.client.defineCommand('llmCostSettle', { numberOfKeys: 0, lua: SETTLE_SCRIPT });
    this.client.on('error', (error) => {
      this.notice.once(
        'down',
        `budget store: Redis at ${redacted(options.url)} is unreachable (${errorMessage(error)}); guarded calls are ${options.failOpen ? 'admitted unguarded (failOpen)' : 'refused'} until it is back.`,
      );
    });
    this.firstReady = new Promise<void>((resolve) => {
      this.client.on('ready', () => {
        this.firstReady = undefined;
        resolve();
        this.notice.reset('down');
        void this.flush();
      });
    });
  }

  reserve(budgets: readonly TrackedBudget[], amountUsd: number, now: number): Promise<ReserveOutcome> {
    const id = randomUUID();
    const args = [
      String(now),
      String(amountUsd),
      id,
      String(now + this.options.holdTimeoutMs),
      String(this.options.holdTimeoutMs + 60_000),
      String(budgets.length),
    ];
    for (const b of budgets) args.push(this.base(b), String(b.limitUsd), String(bucketMs(b)));
    const hold: StoreHold = { id, amountUsd, budgets };
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`no answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      timer.unref?.();
    });
    // Before the first connection, wait for it; after, a lost connection fails at once (no queue).
    const first = this.firstReady;
    const sent =
      first === undefined
        ? this.client.llmCostReserve(...args)
        : first.then(() => (timedOut ? undefined : this.client.llmCostReserve(...args)));
    return Promise.race([sent, timeout]).then(
      (reply) => {
        clearTimeout(timer);
        const r = reply as [number, number?, string?, string?, string?];
        if (r[0] === 1) return { admitted: true, hold } as const;
        return {
          admitted: false,
          reason: r[2] === 'closed' ? 'closed' : 'limit',
          budget: budgets[(r[1] ?? 1) - 1]!,
          spentUsd: Number(r[3]),
          reservedUsd: Number(r[4]),
        } as const;
      },
      (error: unknown) => {
        clearTimeout(timer);
        this.notice.once(
          'down',
          `budget store: Redis at ${redacted(this.options.url)} did not answer (${errorMessage(error)}); guarded calls are ${this.options.failOpen ? 'admitted unguarded (failOpen)' : 'refused'} until it does.`,
        );
        // It may still run on the server later: queue the release behind it.
        this.enqueue(this.settleArgs(hold, 0, now, `release:${id}`));
        return {
          admitted: false,
          reason: 'store_unavailable',
          budget: budgets[0]!,
          spentUsd: 0,
          reservedUsd: 0,
          cause: error,
        } as const;
      },
    );
  }

  settle(hold: StoreHold, costUsd: number, now: number): void {
    this.send(this.settleArgs(hold, costUsd, now, hold.id));
  }

  charge(budgets: readonly TrackedBudget[], costUsd: number, now: number): void {
    this.send(this.settleArgs({ id: '', amountUsd: 0, budgets }, costUsd, now, randomUUID()));
  }

  release(hold: StoreHold): void {
    this.send(this.settleArgs(hold, 0, Date.now(), `release:${hold.id}`));
  }

  /** Settlements dropped because too many waited for Redis (their cost is missing from the shared spend). */
  get droppedOps(): number {
    return this.droppedCount;
  }

  /** Ops kept for replay while Redis is down. */
  get pendingOps(): number {
    return this.pending.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private settleArgs(hold: StoreHold, costUsd: number, now: number, opId: string): string[] {
    const args = [
      String(now),
      hold.id,
      String(costUsd),
      opId,
      String(this.options.holdTimeoutMs + 3_600_000),
      `${this.options.keyPrefix}done:`,
      String(hold.budgets.length),
    ];
    for (const b of hold.budgets)
      args.push(this.base(b), String(bucketMs(b)), String(BUDGET_WINDOW_MS[b.window]));
    return args;
  }

  /** Send now, in order behind anything pending; keep it for replay if Redis does not take it. */
  private send(args: string[]): void {
    if (this.pending.length > 0 || this.client.status !== 'ready') {
      this.enqueue(args);
      return;
    }
    this.client.llmCostSettle(...args).then(undefined, (error: unknown) => {
      if (!this.rejectedByRedis(error)) this.enqueue(args);
    });
  }

  private enqueue(args: string[]): void {
    this.pending.push({ args });
    if (this.pending.length > MAX_PENDING_OPS) {
      this.pending.shift();
      this.droppedCount++;
      this.notice.once(
        'dropped',
        `budget store: more than ${MAX_PENDING_OPS} settlements are waiting for Redis; the oldest are dropped (their cost is missing from the shared spend).`,
      );
    }
    if (this.client.status === 'ready') void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0 && this.client.status === 'ready') {
        try {
          await this.client.llmCostSettle(...this.pending[0]!.args);
          this.pending.shift();
        } catch (error) {
          // Redis answered with an error: replaying cannot help, and must not block the queue.
          if (this.rejectedByRedis(error)) this.pending.shift();
          else return;
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Redis itself refused the op (a `ReplyError`, e.g. WRONGTYPE when another app uses our keys):
   * said once, counted as dropped. Connection failures return false (the op is kept for replay).
   */
  private rejectedByRedis(error: unknown): boolean {
    if ((error as { name?: unknown } | null)?.name !== 'ReplyError') return false;
    this.droppedCount++;
    this.notice.once(
      'reply-error',
      `budget store: Redis refused a settlement (${(error as Error).message}); its cost is missing from the shared spend. Check that no other app writes under the key prefix "${this.options.keyPrefix}".`,
    );
    return true;
  }

  private base(budget: TrackedBudget): string {
    return `${this.options.keyPrefix}${budget.name}:${budget.window}`;
  }
}

function bucketMs(budget: TrackedBudget): number {
  return BUDGET_WINDOW_MS[budget.window] / WINDOW_BUCKETS;
}

function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
