import { z } from "zod";

/** A reference to a declared external secret, usable wherever a credential is expected. */
export const SecretRefSchema = z.strictObject({
  $secret: z.string().min(1).describe("Name of an entry in externalSecrets."),
});

export const CredentialSchema = z.union([z.string().min(1), SecretRefSchema]);

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
  }),
  z.strictObject({
    source: z.literal("exec"),
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe("argv of a program that prints the secret; no shell."),
    timeoutMs: z.number().int().positive().max(120_000).optional(),
  }),
]);
