/**
 * The turns a runner has under way, each with a controller of the runner's own, so that the
 * runner can end them (an operator's kill) whatever signal the caller passed in.
 */
export class RunningTurns {
  private readonly controllers = new Set<AbortController>();

  async run<T>(signal: AbortSignal, turn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    signal.addEventListener("abort", forward, { once: true });
    this.controllers.add(controller);
    try {
      return await turn(controller.signal);
    } catch (error) {
      throw controller.signal.aborted ? controller.signal.reason : error;
    } finally {
      signal.removeEventListener("abort", forward);
      this.controllers.delete(controller);
    }
  }

  abortAll(reason: unknown): void {
    for (const controller of this.controllers) controller.abort(reason);
  }
}
