import { z } from "zod";
import { CredentialSchema } from "./credentials.js";
import {
  OPENCLAW_ONLY_CONTROL_UI,
  OPENCLAW_ONLY_GATEWAY,
  OPENCLAW_ONLY_GATEWAY_AUTH,
  OPENCLAW_ONLY_RATE_LIMIT,
  openclawOnlyForm,
  openclawOnlyKeys,
} from "./openclaw-only.js";

export const DEFAULT_PORT = 18789;
export const DEFAULT_HOST = "127.0.0.1";

export const TrustedProxyAuthSchema = z.strictObject({
  userHeader: z
    .string()
    .min(1)
    .prefault("x-forwarded-user")
    .describe("Header carrying the authenticated user."),
  requiredHeaders: z.array(z.string().min(1)).prefault([]).describe("Headers the proxy must always set."),
  allowUsers: z
    .array(z.string().min(1))
    .optional()
    .describe("Users allowed in; default: any the proxy vouches for."),
  allowLoopback: z.boolean().prefault(false).describe("Believe a proxy on this host (127.0.0.1 / ::1)."),
});

export const AuthRateLimitSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10_000).prefault(10),
  windowMs: z.number().int().min(1000).max(86_400_000).prefault(60_000),
  lockoutMs: z.number().int().min(1000).max(86_400_000).prefault(300_000),
  ...openclawOnlyKeys(OPENCLAW_ONLY_RATE_LIMIT),
});

export const GatewayAuthSchema = z.strictObject({
  mode: z
    .enum(["none", "token", "password", "trusted-proxy"])
    .optional()
    .describe("How clients authenticate. Default: password when only a password is set, else token."),
  token: CredentialSchema.optional().describe(
    'Shared bearer token; use { "$secret": "<name>" }. Unset in token mode: generated into the state dir.',
  ),
  password: CredentialSchema.optional().describe('Shared password; use { "$secret": "<name>" }.'),
  trustedProxy: TrustedProxyAuthSchema.optional(),
  rateLimit: AuthRateLimitSchema.prefault({}),
  capabilityTtlMs: z
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .prefault(600_000)
    .describe("Lifetime of a node's canvas/A2UI capability; nodes refresh it over the WebSocket."),
  ...openclawOnlyKeys(OPENCLAW_ONLY_GATEWAY_AUTH),
});

export const TlsSchema = z.strictObject({
  enabled: z.boolean().prefault(false),
  certPath: z.string().min(1).optional(),
  keyPath: z.string().min(1).optional(),
  autoGenerate: z
    .boolean()
    .prefault(false)
    .describe("Create a self-signed certificate in the state dir once, when no certPath is given."),
});

export const ControlUiSchema = z.strictObject({
  allowedOrigins: z
    .array(z.string().min(1))
    .prefault([])
    .describe(
      "Browser origins whose pages may call the gateway (HTTP and WebSocket) besides its own; their hosts are allowed Host names too.",
    ),
  ...openclawOnlyKeys(OPENCLAW_ONLY_CONTROL_UI),
});

const endpointEnabled = (what: string) =>
  z
    .boolean()
    .optional()
    .describe(`false: ${what} answers 404. Unset: served (OpenClaw's default is off; this gateway's is on).`);

/** OpenClaw's switches for its OpenAI-compatible HTTP surface (openai-http-api.md). */
export const HttpEndpointsSchema = z.strictObject({
  endpoints: z
    .strictObject({
      chatCompletions: z
        .strictObject({
          enabled: endpointEnabled("POST /v1/chat/completions (and /v1/models, unless responses is on)"),
          ...openclawOnlyKeys(["images"]),
        })
        .optional(),
      responses: z
        .strictObject({
          enabled: endpointEnabled("POST /v1/responses"),
          ...openclawOnlyKeys(["files", "images", "maxUrlParts"]),
        })
        .optional(),
    })
    .prefault({}),
});

/** OpenClaw's `gateway.bind` modes that name an address this gateway can listen on. */
const BIND_HOSTS: Record<string, string> = { loopback: DEFAULT_HOST, lan: "0.0.0.0" };

export const GatewaySchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .optional()
      .describe(`Address to bind (default ${DEFAULT_HOST}); 0.0.0.0 for all interfaces.`),
    // auto, tailnet and custom need interface discovery this gateway does not do: ignored, with a warning.
    bind: openclawOnlyForm(
      z
        .enum(["loopback", "lan"])
        .optional()
        .describe('OpenClaw\'s listen mode: "loopback" (127.0.0.1) or "lan" (0.0.0.0).'),
      (value) => typeof value === "string" && !(value in BIND_HOSTS),
    ),
    port: z.number().int().min(0).max(65535).prefault(DEFAULT_PORT),
    mode: z
      .enum(["development", "production", "local"])
      // OpenClaw's "local" (run the gateway here, rather than "remote": connect to one) is all this
      // gateway does, so it means the default.
      .transform((mode) => (mode === "local" ? "development" : mode))
      .prefault("development")
      .describe(
        'production refuses plaintext credentials in this file; development warns once. OpenClaw\'s "local" is development.',
      ),
    auth: GatewayAuthSchema.prefault({}),
    trustedProxies: z
      .array(z.string().min(1))
      .prefault([])
      .describe("Addresses (IPs, CIDRs) of reverse proxies whose forwarded headers are believed."),
    tls: TlsSchema.prefault({}),
    controlUi: ControlUiSchema.prefault({}),
    allowedHosts: z
      .array(z.string().min(1))
      .prefault([])
      .describe(
        "Host names (Host header) the gateway answers to besides loopback, its bind address and the hosts of controlUi.allowedOrigins; others get 421.",
      ),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .prefault(1024 * 1024),
    releaseMemoryAfterIdleMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 60 * 60 * 1000)
      // Below a second it would be a full, compacting collection after nearly every turn (and
      // a timer every millisecond): what a config written to slow the gateway down would ask.
      .refine((ms) => ms === 0 || ms >= 1000, "0 (never) or at least 1000 ms")
      .prefault(30_000)
      .describe(
        "After this long without a turn, the gateway and its agents' threads hand freed memory back to the OS (V8 keeps it otherwise); 0: never.",
      ),
    http: HttpEndpointsSchema.prefault({}),
    ...openclawOnlyKeys(OPENCLAW_ONLY_GATEWAY),
  })
  .superRefine((gateway, context) => {
    const bound = gateway.bind === undefined ? undefined : BIND_HOSTS[gateway.bind];
    if (bound !== undefined && gateway.host !== undefined && gateway.host !== bound) {
      context.addIssue({
        code: "custom",
        path: ["bind"],
        message: `bind "${gateway.bind}" (${bound}) contradicts host "${gateway.host}"; keep one`,
      });
    }
  })
  .transform(({ bind, host, ...gateway }) => ({
    host: host ?? (bind === undefined ? undefined : BIND_HOSTS[bind]) ?? DEFAULT_HOST,
    ...gateway,
  }));
