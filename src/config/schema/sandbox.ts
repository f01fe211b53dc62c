import { z } from "zod";
import { forbiddenBindReason } from "../bind-rules.js";
import { SecretRefSchema } from "./credentials.js";
import { openclawOnlyKeys } from "./openclaw-only.js";

export const DockerSandboxSchema = z
  .strictObject({
    enabled: z.boolean().optional(),
    image: z
      .string()
      .min(1)
      .optional()
      .describe("Default: openclaw-sandbox:<version>, built by `openclaw sandbox build`."),
    binds: z.array(z.string().min(1)).optional().describe("host:container[:ro|rw] bind mounts."),
    allowedRoots: z
      .array(z.string().min(1))
      .optional()
      .describe("Host directories binds may come from; default: the workspace roots."),
    scope: z
      .enum(["agent", "session"])
      .optional()
      .describe("One container per agent (default) or per session."),
    network: z.enum(["none", "bridge"]).optional().describe("Default none: no network at all."),
    memoryMb: z.number().int().min(16).max(1_048_576).optional(),
    cpus: z.number().min(0.05).max(256).optional(),
    pidsLimit: z.number().int().min(8).max(1_000_000).optional(),
    readOnlyRoot: z.boolean().optional(),
    user: z
      .string()
      .min(1)
      .optional()
      .describe("uid:gid inside the container; default 1000:1000, never root."),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), SecretRefSchema]))
      .optional()
      .describe("The container's whole environment."),
    allowSecretEnv: z.array(z.string().min(1)).optional().describe("Secrets env may reference."),
    execTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .superRefine((docker, context) => {
    for (const [index, bind] of (docker.binds ?? []).entries()) {
      const problem = forbiddenBindReason(bind);
      if (problem)
        context.addIssue({
          code: "custom",
          path: ["binds", index],
          message: `bind "${bind}" refused: ${problem}`,
        });
    }
    for (const [name, value] of Object.entries(docker.env ?? {})) {
      if (typeof value === "object" && !(docker.allowSecretEnv ?? []).includes(value.$secret)) {
        context.addIssue({
          code: "custom",
          path: ["env", name],
          message: `secret "${value.$secret}" may not enter a sandbox unless allowSecretEnv names it`,
        });
      }
    }
  });

/** How an agent without a Docker sandbox runs `exec` on the host; defaults are applied in agents/runtime-settings. */
export const HostSandboxSchema = z.strictObject({
  confinement: z
    .enum(["bubblewrap", "unconfined"])
    .optional()
    .describe(
      "Default bubblewrap: commands see the root read-only, the workspace writable, none of the gateway's state, config, secrets or HOME. \"unconfined\" runs them as the gateway's user, able to read all it can.",
    ),
  network: z
    .enum(["none", "host"])
    .optional()
    .describe("Default none: only the sandbox's own loopback. host: the host's network."),
  pidsLimit: z
    .number()
    .int()
    .min(8)
    .max(1_000_000)
    .optional()
    .describe("Processes and threads of one command at once; default 256."),
  cpuSeconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe("CPU seconds of each process (RLIMIT_CPU); default 60."),
  maxFileMb: z
    .number()
    .int()
    .min(1)
    .max(1_048_576)
    .optional()
    .describe(
      "Largest file a command may write (RLIMIT_FSIZE), and the size of its private /tmp; default 256.",
    ),
  hide: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "More host paths commands and file tools never see (relative to the config file); added to agents.defaults'.",
    ),
});

export const SandboxSchema = z.strictObject({
  docker: DockerSandboxSchema.optional(),
  host: HostSandboxSchema.optional(),
  // OpenClaw's sandbox selection (config-agents/sandbox.md): here docker.enabled and host
  // confinement decide, so these are ignored with a warning and confinement stays as configured.
  ...openclawOnlyKeys([
    "backend",
    "browser",
    "mode",
    "perSession",
    "scope",
    "workspaceAccess",
    "workspaceRoot",
  ]),
});
