import pg from "pg";

export type NotificationHandler = (payload: string) => void;

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;
/** Names this connection in pg_stat_activity: an operator (or a test) can tell it from the pool's. */
export const LISTENER_APPLICATION_NAME = "openclaw-listen";

/**
 * The one connection of a storage that LISTENs (a pooled connection cannot: it is handed to
 * other queries between notifications). When it drops (the server restarted, a network cut) it
 * comes back by itself with a growing delay, listens again, and then tells `onReconnect`, so
 * that whoever lost notifications meanwhile reads what they missed from the tables.
 */
export class PostgresListener {
  private client: pg.Client | undefined;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private readonly reconnectHandlers = new Set<() => void>();
  private closed = false;
  private delay = RECONNECT_MIN_MS;
  private timer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;

  constructor(private readonly url: string) {}

  /** Listens on the channels handlers were added for; rejects when the first connection fails. */
  start(): Promise<void> {
    this.connecting = this.connect();
    return this.connecting;
  }

  on(channel: string, handler: NotificationHandler): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: LISTENER_APPLICATION_NAME });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on("error", onLost);
    client.on("end", onLost);
    client.on("notification", (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? "");
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      lost = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      this.connecting = this.connect().then(
        () => {
          this.delay = RECONNECT_MIN_MS;
          if (this.closed) return;
          for (const handler of this.reconnectHandlers) handler();
        },
        () => {
          this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.delay);
    this.timer.unref();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
