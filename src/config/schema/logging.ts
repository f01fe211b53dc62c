import { z } from "zod";

export const LoggingSchema = z.strictObject({
  /** OPENCLAW_LOG_LEVEL, when set, wins (for one run without editing the file). */
  level: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).prefault("info"),
  /** JSON lines in `<state>/logs/gateway.log`, rotated by size; `openclaw logs` reads them. */
  file: z
    .strictObject({
      maxSizeMb: z.number().positive().max(1024).prefault(10),
      maxFiles: z.number().int().min(0).max(100).prefault(5),
    })
    .prefault({}),
  /**
   * What also goes to stdout: `auto` is pretty lines on a terminal, JSON lines otherwise (for
   * journald or `docker logs`), nothing when the gateway runs detached (`gateway start`).
   */
  console: z.enum(["auto", "pretty", "json", "off"]).prefault("auto"),
});
