import { z } from "zod";
import { openclawOnlyKeys } from "./openclaw-only.js";

/** `tools.browser`: the browser tool (OpenClaw's docs/tools/browser/configuration.md). */
export const BrowserToolSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Offer the browser tool (agents still opt in by naming it)."),
    executablePath: z.string().min(1).default("/usr/bin/chromium").describe("The Chromium binary."),
    idleSeconds: z
      .number()
      .int()
      .positive()
      .default(600)
      .describe("A session's browser context is closed after this long without a browser call."),
    ssrfPolicy: z
      .strictObject({
        allowedHostnames: z
          .array(z.string().min(1))
          .optional()
          .describe("Exact hosts reachable even when they resolve to a private or loopback address."),
        dangerouslyAllowPrivateNetwork: z
          .boolean()
          .optional()
          .describe("Let pages reach loopback, private and link-local addresses: trusted networks only."),
        allowPrivateNetwork: z
          .boolean()
          .optional()
          .describe("Legacy alias of dangerouslyAllowPrivateNetwork."),
        ...openclawOnlyKeys(["allowRfc2544BenchmarkRange", "allowIpv6UniqueLocalRange"]),
      })
      .optional(),
    ...openclawOnlyKeys([
      "attachOnly",
      "cdpUrl",
      "color",
      "defaultProfile",
      "evaluateEnabled",
      "headless",
      "noSandbox",
      "profiles",
      "remoteCdpTimeoutMs",
      "snapshotDefaults",
      "tabCleanup",
    ]),
  })
  .optional();
