import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type TempHome, tempHome } from "./harness.js";

// Issue 19: a start refused for a port in use showed lines of gateway.out from earlier runs,
// which read as if they were this start's cause.
describe("gateway start on a port in use", () => {
  let home: TempHome;
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    home = await tempHome({});
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    port = (blocker.address() as { port: number }).port;
    await mkdir(join(home.stateDir, "logs"), { recursive: true });
    await writeFile(
      join(home.stateDir, "logs", "gateway.out"),
      "an old crash from yesterday: TypeError: boom\n",
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    await home.cleanup();
  });

  it("shows only what this start wrote", async () => {
    const result = await runCli(["gateway", "start", "--port", String(port)], home.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("[OC_ERR_GATEWAY_START]");
    expect(result.stderr).toContain(String(port));
    expect(result.stderr).not.toContain("an old crash from yesterday");
  });
});
