import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresServer, startPostgres } from "./postgres-server.js";

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("startPostgres", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers on loopback with the password in its URL, and refuses a wrong one", async () => {
    expect(new URL(server.url).hostname).toBe("127.0.0.1");
    const result = await query(server.url, "SELECT current_user AS user");
    expect(result.rows[0].user).toBe("postgres");
    const wrong = new URL(server.url);
    wrong.password = "not-the-password";
    await expect(query(wrong.toString(), "SELECT 1")).rejects.toThrow(/password authentication failed/);
  });

  it("makes a fresh empty database each time", async () => {
    const first = await server.createDatabase();
    const second = await server.createDatabase();
    expect(first).not.toBe(second);
    await query(first, "CREATE TABLE marker (id int)");
    const tables = await query(second, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'marker'");
    expect(tables.rows[0].n).toBe(0);
  });
});

describe("a test process that dies", () => {
  it("takes its server and the server's directory with it", async () => {
    // A child process starts a server, says where, and is killed without any chance to clean up.
    const serverModule = fileURLToPath(new URL("./postgres-server.ts", import.meta.url));
    const script = `import { startPostgres } from ${JSON.stringify(serverModule)};
const server = await startPostgres();
console.log(JSON.stringify({ url: server.url, port: server.port }));
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let output = "";
      child.stdout.on("data", (data: Buffer) => {
        output += data.toString("utf8");
        if (output.includes("\n")) resolve(output.trim());
      });
      child.once("exit", (code) => reject(new Error(`the child exited (${code}) before starting a server`)));
    });
    const { url, port } = JSON.parse(line) as { url: string; port: number };
    expect((await query(url, "SELECT 1 AS one")).rows[0].one).toBe(1);
    const dataDirectory = (await query(url, "SHOW data_directory")).rows[0].data_directory as string;
    expect(existsSync(dataDirectory)).toBe(true);

    child.kill("SIGKILL");
    for (let attempt = 0; attempt < 200 && (await acceptsConnections(port)); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await acceptsConnections(port)).toBe(false);
    for (let attempt = 0; attempt < 100 && existsSync(dataDirectory); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(existsSync(dataDirectory)).toBe(false);
  });
});
