import { Counter, type Registry } from "prom-client";
import type { ReloadReport } from "../secrets/index.js";

/** Secret reloads (`openclaw secrets reload`, SIGHUP) and the rotations they and the file watches find. */
export class SecretMetrics {
  private readonly reloads: Counter<"outcome">;
  private readonly rotations: Counter<"secret">;

  constructor(registry: Registry) {
    this.reloads = new Counter({
      name: "openclaw_secret_reloads_total",
      help: "Secret reloads, by outcome: ok, or failed when a secret could not be read (its last value is kept).",
      labelNames: ["outcome"],
      registers: [registry],
    });
    this.rotations = new Counter({
      name: "openclaw_secret_rotations_total",
      help: "Secret values that changed while the gateway ran, by secret name (never a value).",
      labelNames: ["secret"],
      registers: [registry],
    });
    // Both outcomes exist from the start, so that a rate() over them has a baseline.
    this.reloads.inc({ outcome: "ok" }, 0);
    this.reloads.inc({ outcome: "failed" }, 0);
  }

  recordReload(report: ReloadReport): void {
    this.reloads.inc({ outcome: report.failed.length > 0 ? "failed" : "ok" });
  }

  recordRotation(secret: string): void {
    this.rotations.inc({ secret });
  }
}
