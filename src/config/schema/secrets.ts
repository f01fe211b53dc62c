import { z } from "zod";
import { openclawOnlyKeys } from "./openclaw-only.js";

const PROVIDER_ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;

/** `secrets.providers.<alias>` as OpenClaw documents it (secretref-contract.md), for env, file and exec. */
export const SecretProviderSchema = z
  .discriminatedUnion("source", [
    z.strictObject({
      source: z.literal("env"),
      allowlist: z
        .array(z.string().min(1))
        .optional()
        .describe("Variables refs of this provider may name; [] denies all. Absent: any."),
    }),
    z.strictObject({
      source: z.literal("file"),
      path: z.string().min(1).describe("The file; must be mode 0600 and owned by the gateway user."),
      mode: z
        .enum(["json", "singleValue"])
        .prefault("json")
        .describe(
          'json: a JSON object, a ref\'s id is a JSON pointer; singleValue: the whole file, id "value".',
        ),
      ...openclawOnlyKeys(["timeoutMs", "maxBytes"]),
    }),
    z.strictObject({
      source: z.literal("exec"),
      // Optional only beside pluginIntegration (a plugin supplies the command), checked below.
      command: z.string().startsWith("/", { error: "expected the resolver's absolute path" }).optional(),
      pluginIntegration: z
        .unknown()
        .optional()
        .describe("OpenClaw plugin-managed resolver: not supported here; refs to this provider are refused."),
      args: z.array(z.string()).prefault([]),
      passEnv: z
        .array(z.string().min(1))
        .prefault([])
        .describe(
          "Variables of the gateway's environment the resolver gets, besides PATH, HOME, LANG and TZ.",
        ),
      jsonOnly: z.boolean().prefault(true).describe("false: plain, non-JSON output is the value."),
      timeoutMs: z.number().int().positive().max(120_000).optional(),
      ...openclawOnlyKeys(["noOutputTimeoutMs", "maxOutputBytes", "env", "trustedDirs"]),
    }),
    z.strictObject({
      source: z
        .literal("store")
        .describe("OpenClaw's team secret store: not supported here; refs to it are refused."),
    }),
  ])
  .superRefine((provider, context) => {
    if (
      provider.source === "exec" &&
      provider.command === undefined &&
      provider.pluginIntegration === undefined
    )
      context.addIssue({ code: "custom", path: ["command"], message: 'required key "command" is missing' });
  });

/** Providers OpenClaw has that this gateway declares but cannot resolve through. */
export function unsupportedSecretProvider(
  provider: z.output<typeof SecretProviderSchema>,
): string | undefined {
  if (provider.source === "store") return "the store source";
  if (provider.source === "exec" && provider.pluginIntegration !== undefined) return "pluginIntegration";
  return undefined;
}

export const SecretsSchema = z.strictObject({
  providers: z.record(z.string().regex(PROVIDER_ALIAS), SecretProviderSchema).prefault({}),
  defaults: z
    .strictObject({
      env: z.string().regex(PROVIDER_ALIAS).optional(),
      file: z.string().regex(PROVIDER_ALIAS).optional(),
      exec: z.string().regex(PROVIDER_ALIAS).optional(),
      ...openclawOnlyKeys(["store"]),
    })
    .optional(),
  ...openclawOnlyKeys(["egressProxy"]),
});
