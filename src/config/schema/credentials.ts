import { z } from "zod";

/** A reference to a declared external secret, usable wherever a credential is expected. */
export const SecretRefSchema = z.strictObject({
  $secret: z.string().min(1).describe("Name of an entry in externalSecrets."),
});

/**
 * OpenClaw's SecretRef (docs/gateway/secrets/secretref-contract.md). The loader turns each into a
 * `{ $secret }` reference to an externalSecrets entry it declares, so only that form reaches the
 * gateway; this schema is what a ref the loader could not place is checked against.
 */
export const OpenClawSecretRefSchema = z.strictObject({
  source: z.enum(["env", "file", "exec"]),
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, { error: "provider alias: lower-case letters, digits, _ and -" }),
  id: z.string().min(1),
});

export const CredentialSchema = z.union([
  z.string().min(1),
  SecretRefSchema,
  // Only a ref the loader could not place (it says why, at the same path) gets here.
  OpenClawSecretRefSchema.transform((_ref, context) => {
    context.addIssue({ code: "custom", message: "SecretRef not resolvable here" });
    return z.NEVER;
  }),
]);

export const ExternalSecretSchema = z.discriminatedUnion("source", [
  z.strictObject({
    source: z.literal("env"),
    key: z.string().min(1).describe("Environment variable of the gateway process to read."),
  }),
  z.strictObject({
    source: z.literal("file"),
    path: z
      .string()
      .min(1)
      .describe("File holding the secret; must be mode 0600 and owned by the gateway user."),
    pointer: z
      .string()
      .regex(/^(\/.*)?$/, { error: 'expected a JSON pointer ("/providers/openai/apiKey")' })
      .optional()
      .describe("The file is a JSON document and the secret is the string at this JSON pointer (RFC 6901)."),
  }),
  z.strictObject({
    source: z.literal("exec"),
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe("argv of a program that prints the secret; no shell."),
    timeoutMs: z.number().int().positive().max(120_000).optional(),
    passEnv: z
      .array(z.string().min(1))
      .optional()
      .describe("Variables of the gateway's environment the command gets, besides PATH, HOME, LANG and TZ."),
    json: z
      .strictObject({
        provider: z.string().min(1),
        id: z.string().min(1),
        jsonOnly: z.boolean().optional(),
      })
      .optional()
      .describe(
        "Speak OpenClaw's exec protocol v1: { protocolVersion: 1, provider, ids: [id] } on stdin, the value from values[id] of the JSON reply.",
      ),
  }),
]);
