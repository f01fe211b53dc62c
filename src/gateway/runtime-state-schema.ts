import { z } from "zod";

/** The shape of `<stateDir>/gateway.json` (GatewayRuntimeState), checked before it is believed. */
export const runtimeStateSchema = z.looseObject({
  pid: z.number().int().min(2),
  url: z.string().regex(/^https?:\/\//),
  host: z.string(),
  port: z.number().int().min(0).max(65_535),
  configPath: z.string(),
  logPath: z.string().optional(),
  startedAt: z.number(),
  listeningAt: z.number(),
  version: z.string(),
  tlsCertPath: z.string().optional(),
  process: z.object({ bootId: z.string().min(1), startTicks: z.number().int().min(0) }).optional(),
  tokenFingerprint: z.string().optional(),
});
