/** What an idle release asks of the busy side: whether work is under way, and a count that moves with it. */
export interface ActivitySource {
  /** Work in progress now (turns running). */
  busy(): boolean;
  /** Any number that changes whenever work starts or ends (turns begun, say). */
  activity(): number;
}

export interface IdleReleaseOptions {
  /** Quiet time before memory is released; 0 turns the release off. */
  idleMs: () => number;
  source: ActivitySource;
  /** Gives memory back: this thread's last-resort GC and the agents' threads'. */
  release: () => void;
  setTimer?: (run: () => void, ms: number) => { unref?(): unknown };
  clearTimer?: (timer: unknown) => void;
}

/**
 * Releases memory once the gateway has been idle for a while: no turn running and none begun or
 * ended for `idleMs`. Once per idle spell: after a release it waits for work to come and go
 * again, so an idle gateway is not collected over and over. V8 keeps the pages a busy spell left
 * (see lastResortGc); a gateway left alone at night gives them back instead of holding its peak.
 */
export class IdleRelease {
  private timer: unknown;
  private lastActivity: number | undefined;
  private quietChecks = 0;
  private released = false;
  private readonly setTimer;
  private readonly clearTimer;

  constructor(private readonly options: IdleReleaseOptions) {
    this.setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as NodeJS.Timeout));
  }

  start(): void {
    this.stop();
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }

  /**
   * Looked at twice per idle period: quiet at the look that first saw the count and at two more
   * is quiet for at least one whole period (released between 1 and 1.5 periods after the work).
   */
  private schedule(): void {
    const idleMs = this.options.idleMs();
    const every = idleMs > 0 ? Math.max(Math.floor(idleMs / 2), 1) : 60_000;
    const timer = this.setTimer(() => this.check(), every);
    timer.unref?.();
    this.timer = timer;
  }

  private check(): void {
    this.timer = undefined;
    const { source } = this.options;
    const activity = source.activity();
    if (source.busy() || activity !== this.lastActivity) {
      this.lastActivity = activity;
      this.quietChecks = 0;
      this.released = false;
    } else if (!this.released && this.options.idleMs() > 0 && ++this.quietChecks >= 2) {
      this.released = true;
      this.options.release();
    }
    this.schedule();
  }
}
