import { z } from "zod";
import { CredentialSchema } from "./credentials.js";
import { openclawOnlyKeys } from "./openclaw-only.js";

/** OpenClaw's body limit for generic hooks (docs/gateway/config-hooks.md). */
export const DEFAULT_HOOK_MAX_BODY_BYTES = 256 * 1024;
/** The ceiling a configured limit may reach: a hook body is one event, not an upload. */
export const MAX_HOOK_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A leading slash added, trailing ones removed, as OpenClaw normalises `hooks.path`. */
function normalizeHookPath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/**
 * `hooks.*`: OpenClaw's inbound HTTP hooks (`POST <path>/agent`, `POST <path>/wake`). The token
 * opens these routes only and no other; mappings, presets, transforms and Gmail are OpenClaw's
 * and ignored here with a warning.
 */
export const HooksSchema = z
  .strictObject({
    enabled: z.boolean().prefault(false).describe("Serve POST <path>/agent and <path>/wake. Needs a token."),
    token: CredentialSchema.optional().describe(
      'The hooks\' own shared secret ({ "$secret": name }); it must differ from the gateway token and opens no other route.',
    ),
    path: z
      .string()
      .prefault("/hooks")
      .transform(normalizeHookPath)
      .refine((path) => path !== "/" && path !== "", {
        error: 'hooks.path "/" is refused: use a dedicated path such as "/hooks"',
      })
      .refine(
        (path) =>
          /^\/[A-Za-z0-9._~\-/]+$/.test(path) && !path.includes("//") && !path.split("/").includes(".."),
        {
          error: "hooks.path must be a plain path (letters, digits, . _ ~ - and /)",
        },
      )
      .describe("Base path of the hook endpoints (read at start)."),
    allowedAgentIds: z
      .array(z.string().min(1))
      .optional()
      .describe('Agents a hook may run; omitted or containing "*" allows all, [] denies all.'),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .max(MAX_HOOK_MAX_BODY_BYTES)
      .prefault(DEFAULT_HOOK_MAX_BODY_BYTES)
      .describe("Largest hook request body; a larger one is answered 413 before it is parsed."),
    defaultSessionKey: z
      .string()
      .min(1)
      .optional()
      .describe("Logical session key of agent runs that name none; else a fresh hook:<uuid>."),
    allowRequestSessionKey: z
      .boolean()
      .prefault(false)
      .describe("Accept a sessionKey from the request body (off: a request naming one is refused)."),
    allowedSessionKeyPrefixes: z
      .array(z.string())
      .optional()
      .describe("Case-insensitive prefixes a hook session key must start with; empty: no restriction."),
    ...openclawOnlyKeys(["presets", "mappings", "transformsDir", "gmail", "internal"]),
  })
  .superRefine((hooks, context) => {
    if (hooks.enabled && hooks.token === undefined) {
      context.addIssue({
        code: "custom",
        path: ["token"],
        message:
          'hooks.enabled needs hooks.token (e.g. { "$secret": "hooks-token" } declared in externalSecrets)',
      });
    }
  });

export type HooksConfig = z.output<typeof HooksSchema>;
