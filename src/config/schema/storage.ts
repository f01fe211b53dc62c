import { z } from "zod";
import { CredentialSchema } from "./credentials.js";

/** Whether a literal connection URL carries a password (which belongs in externalSecrets). */
function literalUrlHasPassword(url: unknown): boolean {
  if (typeof url !== "string") return false;
  try {
    return new URL(url).password !== "";
  } catch {
    // Not a URL a password can be read from: the PostgreSQL client will say what is wrong with it.
    return /:[^/@]+@/.test(url);
  }
}

export const StorageSchema = z
  .strictObject({
    kind: z
      .enum(["sqlite", "postgres"])
      .prefault("sqlite")
      .describe(
        "sqlite: the state dir's files and SQLite databases, one gateway. postgres: one PostgreSQL database several gateways share.",
      ),
    url: CredentialSchema.optional().describe(
      'postgres only: postgresql://user:password@host:5432/database, as { "$secret": "<name>" } from externalSecrets (a literal URL may not hold a password).',
    ),
    poolSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .prefault(10)
      .describe(
        "postgres only: connections per gateway at most (one more listens for the cluster's events).",
      ),
  })
  .superRefine((storage, context) => {
    if (storage.kind === "postgres" && storage.url === undefined) {
      context.addIssue({
        code: "custom",
        path: ["url"],
        message:
          'storage.kind "postgres" needs storage.url: declare the URL in externalSecrets and put { "$secret": "<name>" } here',
      });
    }
    if (storage.kind === "sqlite" && storage.url !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["url"],
        message: 'storage.url is read only with storage.kind "postgres"; remove it or set the kind',
      });
    }
    if (literalUrlHasPassword(storage.url)) {
      context.addIssue({
        code: "custom",
        path: ["url"],
        message:
          'storage.url holds a password in openclaw.json: declare the URL in externalSecrets (e.g. "pg-url": { "source": "env", "key": "OPENCLAW_PG_URL" }) and put { "$secret": "pg-url" } here',
      });
    }
  });

export type StorageConfig = z.output<typeof StorageSchema>;
