import pg from "pg";
import { OpenClawError } from "../../errors.js";

export interface PostgresDatabaseOptions {
  /** `postgresql://user:password@host:port/database`: from a secret, never logged. */
  url: string;
  /** Connections at most (default 10); the LISTEN connection comes on top. */
  poolSize?: number;
  /**
   * Epoch ms. When given (tests), every expiry is judged by it; when absent, by the database's
   * own clock, so that gateways whose clocks drift still agree on who holds a lease.
   */
  now?: () => number;
}

export const DEFAULT_POOL_SIZE = 10;
/** How long `reachable()` waits for `SELECT 1`: /readyz must answer quickly either way. */
const REACHABLE_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The database's clock in epoch ms, in SQL. `clock_timestamp()`, not `now()`: `now()` is the
 * transaction's start, and a lease judged in a long transaction must not look younger.
 */
export const DATABASE_NOW_SQL = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

export type Queryable = Pick<pg.PoolClient, "query">;

/** The URL without its password: what messages and `location` show. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgresql://(an unparsable URL)";
  }
}

/**
 * One pool on the database every store of a PostgreSQL storage shares (and what automation's
 * stores build on: `src/automation/cron` keeps its jobs here too). Queries in flight are
 * counted so that `close` waits for them: what a caller was told was stored is committed.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;
  /** The URL without its password. */
  readonly location: string;
  readonly url: string;
  private readonly injectedNow: (() => number) | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: PostgresDatabaseOptions) {
    this.url = options.url;
    this.location = redactedUrl(options.url);
    this.injectedNow = options.now;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection the server dropped must not crash the gateway: the next query reconnects.
    this.pool.on("error", () => {});
  }

  /**
   * The value for a `now` parameter: the injected clock's, or null for the database's clock.
   * Queries read it as `COALESCE($n::bigint, DATABASE_NOW_SQL)`.
   */
  nowParameter(): number | null {
    return this.injectedNow ? this.injectedNow() : null;
  }

  /** For values written by the gateway rather than judged by the database (an entry's updatedAt). */
  now(): number {
    return this.injectedNow ? this.injectedNow() : Date.now();
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.track(async () => {
      try {
        return await this.pool.query<R>(text, values);
      } catch (error) {
        throw this.translate(error);
      }
    });
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.track(async () => {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw this.translate(error);
      }
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw this.translate(error);
      } finally {
        client.release(broken);
      }
    });
  }

  async reachable(): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), REACHABLE_TIMEOUT_MS);
    });
    const probe = this.pool.query("SELECT 1").then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the queries in flight, then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }

  /** A connection or server failure as OC_ERR_STORAGE_UNREACHABLE; SQL errors (a bug) pass as they are. */
  translate(error: unknown): unknown {
    if (error instanceof OpenClawError) return error;
    if (isConnectionFailure(error)) return unreachable(this.location, error);
    return error;
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(
        new OpenClawError("OC_ERR_STORAGE_UNREACHABLE", `the storage at ${this.location} is closed`, {
          hint: "the gateway is stopping; retry against a running gateway",
        }),
      );
    }
    const running = run();
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }
}

/** Network errors, the server shutting down or refusing connections (class 08, 57P0x, 53300). */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code)
    ) {
      return true;
    }
    if (code.startsWith("08") || code.startsWith("57P0") || code === "53300" || code === "28P01") return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}

export function unreachable(location: string, cause: unknown): OpenClawError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new OpenClawError(
    "OC_ERR_STORAGE_UNREACHABLE",
    `the storage at ${location} does not answer: ${reason}`,
    {
      hint: "check that PostgreSQL runs and that storage.url names it (host, port, database, user and password); the gateway retries by itself",
      cause,
    },
  );
}
