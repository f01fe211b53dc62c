import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * A real PostgreSQL on loopback, one per test file: what the PostgreSQL storage is tested
 * against. `url` names the server's `postgres` database (for administration);
 * `createDatabase()` makes a fresh empty database and returns its URL, so each test (each
 * "place" of the contract suite) starts from nothing without paying for a server.
 */
export interface PostgresServer {
  /** `postgresql://postgres:<password>@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  createDatabase(): Promise<string>;
  /** Terminates every client connection (as a server restart does), the caller's own aside. */
  interruptConnections(): Promise<void>;
  /** Stops the server (fast shutdown: clients are disconnected) and removes its directory. */
  stop(): Promise<void>;
}

const POSTGRES_ROOT = "/usr/lib/postgresql";
const READY_TIMEOUT_MS = 15_000;

/**
 * The server runs under a shell that waits on its stdin: when the test process goes away,
 * however it goes (a crash, a SIGKILL from the runner), the pipe closes, the shell asks the
 * server for a fast shutdown and then removes the data dir, so no server outlives the suite
 * and no cluster is left in /tmp. The shell has its own process group, so a Ctrl-C to the
 * runner's group reaches it only through that pipe. Background jobs get /dev/null as stdin,
 * hence fd 3. initdb and postgres refuse to run as root: setpriv runs them as `postgres`
 * (it execs, so `$!` is the postmaster itself).
 */
const WATCHDOG_SCRIPT = [
  "exec 3<&0",
  'directory="$1"; shift',
  'setpriv --reuid=postgres --regid=postgres --init-groups "$@" </dev/null &',
  "server=$!",
  '(read -r ignored <&3; kill -INT "$server" 2>/dev/null) &',
  'wait "$server"',
  'rm -rf "$directory"',
].join("\n");

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
let databaseCounter = 0;

/** The newest PostgreSQL Debian installed (`/usr/lib/postgresql/<major>/bin`), installing it with apt when absent. */
export function ensurePostgres(): { binDirectory: string; major: string } {
  const found = newestPostgres();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    const result = spawnSync("apt-get", ["install", "-y", "-qq", "postgresql"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: "pipe",
      timeout: 300_000,
    });
    const installed = result.status === 0 ? newestPostgres() : undefined;
    if (installed) return installed;
  }
  throw new Error(
    `PostgreSQL is not installed under ${POSTGRES_ROOT} and could not be installed: run \`apt-get install -y postgresql\` as root (no system cluster needs to run), then run the PostgreSQL tests again`,
  );
}

function newestPostgres(): { binDirectory: string; major: string } | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const majors = readdirSync(POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_ROOT, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  const major = majors[0];
  return major ? { binDirectory: join(POSTGRES_ROOT, major, "bin"), major } : undefined;
}

export async function startPostgres(): Promise<PostgresServer> {
  const { binDirectory, major } = ensurePostgres();
  installExitHook();
  const template = await ensureTemplateCluster(binDirectory, major);
  const directory = await mkdtemp(join(tmpdir(), "openclaw-postgres-"));
  await chown(directory, ...postgresIds());
  const dataDirectory = join(directory, "data");
  await copyCluster(template, dataDirectory);
  // Loopback clients authenticate with a password made for this server (so tests see a URL with
  // a password, as production has); the unix socket, in the server's own dir, is trusted and is
  // how the password is set.
  await writeFile(
    join(dataDirectory, "pg_hba.conf"),
    ["local all all trust", "host all all 127.0.0.1/32 scram-sha-256", ""].join("\n"),
  );
  const port = await pickFreePort();
  const password = randomBytes(18).toString("base64url");
  const child = spawnServer(directory, [
    join(binDirectory, "postgres"),
    "-D",
    dataDirectory,
    "-k",
    directory,
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    // For tests only: a lost write after a machine crash does not matter here, speed does.
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
    "-c",
    "shared_buffers=32MB",
  ]);
  try {
    await setPassword(child.process, directory, port, password);
  } catch (error) {
    await killServer(child.process);
    throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}: ${String(error)}\n${child.output()}`);
  }

  let stopped = false;
  const urlOf = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf("postgres"),
    port,
    async createDatabase() {
      if (stopped) throw new Error("the PostgreSQL server was stopped; start a new one");
      databaseCounter += 1;
      const name = `openclaw_test_${process.pid}_${databaseCounter}`;
      const client = new pg.Client({ host: directory, port, user: "postgres", database: "postgres" });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
    async interruptConnections() {
      const client = new pg.Client({ host: directory, port, user: "postgres", database: "postgres" });
      await client.connect();
      try {
        await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
        );
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await killServer(child.process);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * initdb takes seconds on a busy machine; copying a cluster takes a tenth of that. The first
 * start on a machine makes a template cluster in the temp dir (in a dir of its own, renamed
 * into place whole, so a killed initdb never leaves a half template), later starts copy it.
 */
async function ensureTemplateCluster(binDirectory: string, major: string): Promise<string> {
  const template = join(tmpdir(), `openclaw-postgres-template-${major}`);
  if (existsSync(join(template, "PG_VERSION"))) return template;
  const building = await mkdtemp(join(tmpdir(), "openclaw-postgres-initdb-"));
  try {
    await chown(building, ...postgresIds());
    const data = join(building, "data");
    const result = spawnSync(
      "setpriv",
      [
        "--reuid=postgres",
        "--regid=postgres",
        "--init-groups",
        join(binDirectory, "initdb"),
        "-D",
        data,
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
      ],
      { stdio: "pipe", timeout: 120_000 },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed: ${result.stderr?.toString("utf8") ?? result.error}`);
    }
    try {
      await rename(data, template);
    } catch (error) {
      // Another test file made it first: theirs is as good as ours.
      if (!existsSync(join(template, "PG_VERSION"))) throw error;
    }
    return template;
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

async function copyCluster(template: string, target: string): Promise<void> {
  const result = spawnSync("cp", ["-a", template, target], { stdio: "pipe", timeout: 60_000 });
  if (result.status !== 0)
    throw new Error(`copying the template cluster failed: ${result.stderr?.toString("utf8")}`);
}

function postgresIds(): [number, number] {
  const result = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const group = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  const uid = Number(result.stdout.trim());
  const gid = Number(group.stdout.trim());
  if (result.status !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error("there is no `postgres` user: install Debian's postgresql package (it creates the user)");
  }
  return [uid, gid];
}

/** Binds port 0 to learn a free port, then releases it for postgres (a tiny race, accepted in tests). */
function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port on 127.0.0.1"))));
    });
  });
}

function spawnServer(directory: string, command: string[]): { process: ChildProcess; output(): string } {
  const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "postgres-watchdog", directory, ...command], {
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let output = "";
  const collect = (data: Buffer) => {
    output = (output + data.toString("utf8")).slice(-4_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.stdin?.on("error", () => {});
  child.once("exit", () => {
    running.delete(child);
    child.stdin?.destroy();
  });
  return { process: child, output: () => output };
}

/** Retries over the socket until the server answers (it refuses while starting up), then sets the password. */
async function setPassword(
  child: ChildProcess,
  directory: string,
  port: number,
  password: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("the server exited");
    const client = new pg.Client({ host: directory, port, user: "postgres", database: "postgres" });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query(`ALTER ROLE postgres PASSWORD '${password}'`);
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`not ready within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
}

/** Closing stdin makes the watchdog shell stop the server; resolves once the shell is gone. */
function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const fallback = setTimeout(() => {
      if (child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      }
    }, 10_000);
    child.once("exit", () => {
      clearTimeout(fallback);
      resolve();
    });
    child.stdin?.end();
  });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.stdin?.destroy();
  });
}
