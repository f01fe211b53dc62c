import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSelfSignedCertificate } from "../../../auth/self-signed.js";

/** A real ngIRCd on loopback, one per test file: what the IRC account is tested against. */
export interface NgircdServer {
  host: "127.0.0.1";
  port: number;
  /** The TLS port, when started with `tls: true`; `port` stays plain text. */
  tlsPort?: number;
  /** The server's self-signed certificate for 127.0.0.1 (PEM), when started with `tls: true`: a client's CA. */
  certificatePem?: string;
  /** Kills the server and removes its configuration. */
  stop(): Promise<void>;
  /** Kills the server, as a crash or an operator restart would, and starts it again on the same port. */
  restart(): Promise<void>;
}

export interface NgircdOptions {
  /** The server password (`PASS`) every client must give. */
  password?: string;
  /** Also listen with TLS on `tlsPort`, with a fresh self-signed certificate. */
  tls?: boolean;
}

interface TlsSetup {
  port: number;
  certificatePem: string;
  certPath: string;
  keyPath: string;
}

const NGIRCD_BINARY = "/usr/sbin/ngircd";
const READY_TIMEOUT_MS = 5_000;

/**
 * The server runs under a shell that waits on its stdin: when the test process goes away,
 * however it goes (a crash, a SIGKILL from the runner), the pipe closes and the shell kills the
 * server, so no daemon outlives the suite. Background jobs get /dev/null as stdin, hence fd 3.
 */
const WATCHDOG_SCRIPT = [
  "exec 3<&0",
  '"$1" -n -f "$2" </dev/null &',
  "server=$!",
  '(read -r ignored <&3; kill -TERM "$server" 2>/dev/null) &',
  'wait "$server"',
].join("\n");

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Installs ngircd with apt when it is missing; throws saying how to install it when that fails. */
export function ensureNgircd(): string {
  if (existsSync(NGIRCD_BINARY)) return NGIRCD_BINARY;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    const result = spawnSync("apt-get", ["install", "-y", "ngircd"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: "pipe",
      timeout: 120_000,
    });
    if (result.status === 0 && existsSync(NGIRCD_BINARY)) return NGIRCD_BINARY;
  }
  throw new Error(
    `ngircd is not installed at ${NGIRCD_BINARY} and could not be installed: run \`apt-get install -y ngircd\` as root, then run the IRC tests again`,
  );
}

export async function startNgircd(options: NgircdOptions = {}): Promise<NgircdServer> {
  const binary = ensureNgircd();
  installExitHook();
  const directory = await mkdtemp(join(tmpdir(), "openclaw-ngircd-"));
  const port = await pickFreePort();
  const tls = options.tls ? await writeCertificate(directory) : undefined;
  const ports = tls ? [port, tls.port] : [port];
  const configPath = join(directory, "ngircd.conf");
  await writeFile(configPath, ngircdConfig(port, options, tls), { mode: 0o600 });

  let child = await spawnServer(binary, configPath, ports);
  let stopped = false;

  return {
    host: "127.0.0.1",
    port,
    ...(tls ? { tlsPort: tls.port, certificatePem: tls.certificatePem } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      await killServer(child);
      await rm(directory, { recursive: true, force: true });
    },
    async restart() {
      if (stopped) throw new Error("the ngircd server was stopped; start a new one");
      await killServer(child);
      child = await spawnServer(binary, configPath, ports);
    },
  };
}

/** ngircd reads the key before it drops root for `nobody`, so the key file can stay 0600. */
async function writeCertificate(directory: string): Promise<TlsSetup> {
  const certificate = generateSelfSignedCertificate({
    commonName: "127.0.0.1",
    altNames: ["127.0.0.1"],
    days: 1,
  });
  const certPath = join(directory, "server-cert.pem");
  const keyPath = join(directory, "server-key.pem");
  await writeFile(certPath, certificate.certPem, { mode: 0o600 });
  await writeFile(keyPath, certificate.keyPem, { mode: 0o600 });
  return { port: await pickFreePort(), certificatePem: certificate.certPem, certPath, keyPath };
}

function ngircdConfig(port: number, options: NgircdOptions, tls: TlsSetup | undefined): string {
  return [
    "[Global]",
    "Name = irc.openclaw.test",
    "Info = OpenClaw test server",
    "AdminInfo1 = OpenClaw tests",
    "AdminInfo2 = loopback only",
    "AdminEMail = tests@openclaw.invalid",
    "Listen = 127.0.0.1",
    `Ports = ${port}`,
    "MotdPhrase = OpenClaw test server",
    ...(options.password ? [`Password = ${options.password}`] : []),
    "[Limits]",
    // Short, so a dead client is noticed within a test; the account pings on its own schedule.
    "PingTimeout = 10",
    "PongTimeout = 5",
    "MaxConnectionsIP = 0",
    "MaxJoins = 0",
    "MaxNickLength = 30",
    // Penalties would delay our lines by seconds and make the flood-control timings meaningless.
    "MaxPenaltyTime = 0",
    "ConnectRetry = 5",
    "[Options]",
    "DNS = no",
    "Ident = no",
    "PAM = no",
    // No DHFile: a GnuTLS build of ngircd then makes DH parameters as it starts, ~0.2 s here.
    ...(tls
      ? ["[SSL]", `CertFile = ${tls.certPath}`, `KeyFile = ${tls.keyPath}`, `Ports = ${tls.port}`]
      : []),
    "",
  ].join("\n");
}

/** Binds port 0 to learn a free port, then releases it for ngircd (a tiny race, accepted in tests). */
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

async function spawnServer(binary: string, configPath: string, ports: number[]): Promise<ChildProcess> {
  const child = spawn("/bin/sh", ["-c", WATCHDOG_SCRIPT, "ngircd-watchdog", binary, configPath], {
    stdio: ["pipe", "pipe", "pipe"],
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

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if ((await Promise.all(ports.map(acceptsConnections))).every(Boolean)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await killServer(child);
  throw new Error(
    `ngircd did not listen on 127.0.0.1:${ports.join(", ")} within ${READY_TIMEOUT_MS} ms:\n${output}`,
  );
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

/** Closing stdin makes the watchdog shell kill the server; resolves once both are gone. */
function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const fallback = setTimeout(() => child.kill("SIGKILL"), 3_000);
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
