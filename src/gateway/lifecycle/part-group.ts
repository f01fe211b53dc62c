import type { OpenClawConfig } from "../../config/index.js";

/**
 * One part of the running gateway: something that holds resources (threads, watchers, files,
 * sockets) between its start and its stop, and may follow config changes.
 */
export interface GatewayPart {
  readonly name: string;
  start?(): Promise<void>;
  /**
   * A new config is in force (already committed: admission happened before): follow it. A part
   * that cannot is reported; the others still follow.
   */
  apply?(config: OpenClawConfig): Promise<void>;
  /** Releases everything `start` took; never throws (a failure is logged by the part). */
  stop?(): Promise<void>;
}

/**
 * Starts parts in order and stops them in reverse. When one fails to start, the ones already
 * started are stopped again, newest first, before the failure is thrown: a gateway that cannot
 * start leaves no worker thread, watcher, open database or socket behind.
 */
export class PartGroup {
  private readonly started: GatewayPart[] = [];

  constructor(
    private readonly parts: readonly GatewayPart[],
    private readonly onStopFailed: (part: string, error: unknown) => void,
    /** Told how long each part took to start: where a slow start-up goes, at debug level. */
    private readonly onStarted?: (part: string, ms: number) => void,
  ) {}

  async start(): Promise<void> {
    for (const part of this.parts) {
      const startedAt = performance.now();
      try {
        await part.start?.();
      } catch (error) {
        await this.stop();
        throw error;
      }
      this.started.push(part);
      this.onStarted?.(part.name, performance.now() - startedAt);
    }
  }

  /**
   * Every part that started follows `config`, in start order (agents before the memory that
   * indexes their workspaces). One that fails does not keep the later ones on the old config;
   * the first failure is thrown once all have been told.
   */
  async apply(config: OpenClawConfig): Promise<void> {
    const failures: unknown[] = [];
    for (const part of [...this.started]) {
      try {
        await part.apply?.(config);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  /** Stops what started, newest first; a part whose stop fails does not keep the others running. */
  async stop(): Promise<void> {
    while (this.started.length > 0) {
      const part = this.started.pop() as GatewayPart;
      try {
        await part.stop?.();
      } catch (error) {
        this.onStopFailed(part.name, error);
      }
    }
  }

  names(): string[] {
    return this.started.map((part) => part.name);
  }
}
