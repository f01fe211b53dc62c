import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/index.js";
import { StateDirHealth } from "../state-dir-health/index.js";
import { createMemoryStorage } from "../storage/index.js";
import { gatewayStorage } from "./gateway-storage.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("gatewayStorage", () => {
  it("takes the storage its caller opened (PostgreSQL), else opens the state dir's files", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "openclaw-gateway-storage-"));
    dirs.push(stateDir);
    const logger = createLogger({ level: "silent" });
    const health = new StateDirHealth(stateDir);
    const given = createMemoryStorage();
    expect(gatewayStorage({ configPath: "x", stateDir, storage: given }, health, logger)).toBe(given);
    const files = gatewayStorage({ configPath: "x", stateDir }, health, logger);
    expect(files.kind).toBe("files");
    await files.close();
    await given.close();
  });
});
