import { X509Certificate } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requestLocalGateway } from "../../src/cli/local-http.js";
import { runCli, useGateway } from "./harness.js";

describe("TLS with a self-signed certificate", () => {
  const running = useGateway({
    gateway: { auth: { mode: "token" }, tls: { enabled: true, autoGenerate: true } },
  });

  it("serves HTTPS and prints the certificate's fingerprint; the key is owner-only", async () => {
    const certPath = join(running.home.stateDir, "tls", "gateway-cert.pem");
    const cert = new X509Certificate(await readFile(certPath));
    expect(running.url).toMatch(/^https:\/\//);
    expect(running.gateway.output()).toContain(cert.fingerprint256);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect((await stat(join(running.home.stateDir, "tls", "gateway-key.pem"))).mode & 0o777).toBe(0o600);
  });

  it("answers the seed's canvas check with 401, and status to the token over TLS", async () => {
    const ca = await readFile(join(running.home.stateDir, "tls", "gateway-cert.pem"), "utf8");
    const url = running.url.replace("127.0.0.1", "localhost");
    const canvas = await requestLocalGateway(`${url}/__openclaw__/canvas/snapshot`, { ca });
    expect(canvas.status).toBe(401);
    const token = (await runCli(["gateway", "token"], running.home.env)).stdout.trim();
    const status = await requestLocalGateway(`${url}/__openclaw__/status`, {
      ca,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    // A client that trusts nothing it was not told to refuses the self-signed certificate.
    await expect(requestLocalGateway(`${url}/health`, {})).rejects.toThrow(/self-signed|certificate/);
  });

  it("refuses a plain request with an Upgrade header over TLS too (finding 1)", async () => {
    const ca = await readFile(join(running.home.stateDir, "tls", "gateway-cert.pem"), "utf8");
    const url = running.url.replace("127.0.0.1", "localhost");
    for (const path of ["/__openclaw__/status", "/__openclaw__/secrets", "/v1/models"]) {
      const answer = await requestLocalGateway(`${url}${path}`, { ca, headers: { upgrade: "websocket" } });
      expect(answer.status, path).toBe(401);
    }
  });

  it("keeps working for the CLI, which trusts the gateway's own certificate", async () => {
    const listed = await runCli(["agents", "list", "--json"], running.home.env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: "main" })]);
  });

  it("serves the CLI's WebSocket calls over wss:// with the same trust", async () => {
    const health = await runCli(["gateway", "health", "--json"], running.home.env);
    expect(health.stderr).toBe("");
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true, agents: [{ id: "main", state: "ready" }] });
    const dashboard = await runCli(["dashboard", "--json"], running.home.env);
    expect(JSON.parse(dashboard.stdout)).toMatchObject({
      url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/#token=/),
      wsUrl: expect.stringMatching(/^wss:\/\//),
    });
  });
});
