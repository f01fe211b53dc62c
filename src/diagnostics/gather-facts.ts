import { createPrivateKey, X509Certificate } from "node:crypto";
import { readdir, readFile, stat, statfs } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { agentOffersTool } from "../agents/agent-tools.js";
import {
  gatewayTokenFingerprint,
  gatewayTokenPath,
  inspectGatewayTokenFile,
  localTokenPath,
  NODES_FILE_NAME,
  readGatewayToken,
  resolveAuthMode,
  tlsPaths,
} from "../auth/index.js";
import {
  type AgentConfig,
  type Credential,
  type LoadedConfig,
  loadConfigFile,
  type OpenClawConfig,
  resolveAgentConfigs,
} from "../config/index.js";
import { type ConfinementAvailability, createConfinement } from "../confinement/index.js";
import { type OpenClawError, toOpenClawError } from "../errors.js";
import {
  type AuditFinding,
  auditPlaintextCredentials,
  listSecrets,
  type SecretListing,
  withLocalSecrets,
} from "../secrets/index.js";
import { malformedSkills } from "../skills/index.js";
import { credentialWeakness } from "./exposure-checks.js";
import type {
  AuthCredentialFact,
  ConfinementFact,
  DockerFact,
  DoctorFacts,
  FileFact,
  GatewayFact,
  GatewayTokenFact,
  MemoryStoreFileFact,
  SecretFileFact,
  StateDiskFact,
  TlsFact,
} from "./facts.js";

export interface GatherOptions {
  configPath: string;
  stateDir: string;
  /** Asks the gateway running for this state dir how it is doing (the CLI talks to it). */
  probeGateway: (stateDir: string) => Promise<GatewayFact>;
  /** Docker engine checks; by default the local engine (DOCKER_HOST) through dockerode. */
  probeDocker?: (
    images: string[],
  ) => Promise<{ reachable: boolean; error?: string; missingImages: string[] }>;
  /** Whether bubblewrap can confine host commands here; by default the real probe. */
  probeConfinement?: () => Promise<ConfinementAvailability>;
  now?: () => number;
}

const DOCKER_TIMEOUT_MS = 3000;

export async function statFile(path: string): Promise<FileFact> {
  try {
    const stats = await stat(path);
    return { path, exists: true, isDirectory: stats.isDirectory(), mode: stats.mode & 0o777, uid: stats.uid };
  } catch {
    return { path, exists: false };
  }
}

/** statfs of the state dir, or of its nearest existing parent (where it will be created). */
export async function measureStateDisk(stateDir: string): Promise<StateDiskFact> {
  let path = resolve(stateDir);
  for (;;) {
    try {
      const stats = await statfs(path);
      return {
        path,
        totalBytes: stats.blocks * stats.bsize,
        availableBytes: stats.bavail * stats.bsize,
        totalInodes: stats.files,
        freeInodes: stats.ffree,
      };
    } catch (error) {
      const parent = dirname(path);
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || parent === path)
        return { path, error: (error as Error).message };
      path = parent;
    }
  }
}

async function loadConfig(configPath: string): Promise<{ config?: LoadedConfig; error?: OpenClawError }> {
  try {
    return { config: await loadConfigFile(configPath) };
  } catch (error) {
    return { error: toOpenClawError(error) };
  }
}

/** The declared secrets as the gateway would read them now, and the auth credential's shape. */
async function readSecrets(
  config: OpenClawConfig,
  configPath: string,
  stateDir: string,
): Promise<{ secrets: SecretListing[]; credential: AuthCredentialFact | undefined }> {
  return withLocalSecrets(config, configPath, async (store) => {
    const secrets = listSecrets(store.list(), config);
    const mode = resolveAuthMode(config);
    if (mode !== "token" && mode !== "password") return { secrets, credential: undefined };
    const configured: Credential | undefined = config.gateway.auth[mode];
    let origin: AuthCredentialFact["origin"];
    let value: string | undefined;
    if (configured === undefined) {
      origin = "generated";
      value = mode === "token" ? await readGatewayToken(stateDir).catch(() => undefined) : undefined;
    } else if (typeof configured === "string") {
      origin = "config";
      value = configured;
    } else {
      origin = "secret";
      value = store.get(configured.$secret);
    }
    const credential: AuthCredentialFact = {
      field: mode,
      origin,
      length: value?.length,
      weakness: value === undefined ? undefined : credentialWeakness(mode, value),
    };
    return { secrets, credential };
  });
}

async function readTls(
  config: OpenClawConfig,
  configPath: string,
  stateDir: string,
): Promise<TlsFact | undefined> {
  const tls = config.gateway.tls;
  if (!tls.enabled) return undefined;
  const paths = tlsPaths(config, dirname(configPath), stateDir);
  const fact: TlsFact = { ...paths, notCreatedYet: false };
  if (!paths.certPath || !paths.keyPath) {
    return { ...fact, error: "gateway.tls needs both certPath and keyPath" };
  }
  if (paths.generated && !tls.autoGenerate) {
    return {
      ...fact,
      error: "gateway.tls.enabled is true but no certificate is set (certPath, keyPath or autoGenerate)",
    };
  }
  let certText: string;
  let keyText: string;
  try {
    certText = await readFile(paths.certPath, "utf8");
    keyText = await readFile(paths.keyPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (paths.generated && code === "ENOENT") return { ...fact, notCreatedYet: true };
    const path = (error as NodeJS.ErrnoException).path ?? paths.certPath;
    return { ...fact, error: `cannot read ${path} (${code ?? String(error)})` };
  }
  try {
    const certificate = new X509Certificate(certText);
    let keyMatches: boolean;
    try {
      keyMatches = certificate.checkPrivateKey(createPrivateKey(keyText));
    } catch {
      return { ...fact, error: `${paths.keyPath} is not a PEM private key` };
    }
    return {
      ...fact,
      validFrom: new Date(certificate.validFrom).toISOString(),
      validTo: new Date(certificate.validTo).toISOString(),
      subject: certificate.subject,
      keyMatches,
    };
  } catch {
    return { ...fact, error: `${paths.certPath} is not a PEM certificate` };
  }
}

async function defaultDockerProbe(images: string[]) {
  const { default: Dockerode } = await import("dockerode");
  const docker = new Dockerode();
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(
      () => reject(new Error(`no answer within ${DOCKER_TIMEOUT_MS} ms`)),
      DOCKER_TIMEOUT_MS,
    ).unref();
  });
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (error) {
    return { reachable: false, error: (error as Error).message, missingImages: [] };
  }
  const missingImages: string[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
    } catch {
      missingImages.push(image);
    }
  }
  return { reachable: true, missingImages };
}

async function readDocker(
  config: OpenClawConfig,
  stateDir: string,
  probe: NonNullable<GatherOptions["probeDocker"]>,
): Promise<DockerFact | undefined> {
  const sandboxed = resolveAgentConfigs(config).filter((agent) => agent.sandbox?.docker?.enabled);
  if (sandboxed.length === 0) return undefined;
  const { resolveSandboxSettings, DEFAULT_SANDBOX_IMAGE } = await import("../sandbox/index.js");
  const sandboxedAgents = sandboxed.map((agent) => {
    let image = DEFAULT_SANDBOX_IMAGE;
    try {
      image = resolveSandboxSettings(agent.sandbox?.docker, stateDir).image;
    } catch {
      // A root sandbox user is refused at start; the image is still the one named.
      image = agent.sandbox?.docker?.image ?? DEFAULT_SANDBOX_IMAGE;
    }
    return { id: agent.id, image };
  });
  const result = await probe([...new Set(sandboxedAgents.map((agent) => agent.image))]);
  return { sandboxedAgents, ...result };
}

/** Agents whose `exec` runs on the host; bubblewrap is probed only when one of them needs it. */
async function readConfinement(
  config: OpenClawConfig,
  probe: NonNullable<GatherOptions["probeConfinement"]>,
): Promise<ConfinementFact | undefined> {
  const hostAgents = resolveAgentConfigs(config)
    .filter((agent) => !agent.sandbox?.docker?.enabled && agentOffersTool(agent, config, "exec"))
    .map((agent) => {
      const own = (config.agents as Record<string, AgentConfig | undefined>)[agent.id]?.sandbox?.host;
      return {
        id: agent.id,
        confinement: agent.sandbox?.host?.confinement ?? "bubblewrap",
        setting: `agents.${own?.confinement ? agent.id : "defaults"}.sandbox.host.confinement`,
      };
    });
  if (hostAgents.length === 0) return undefined;
  const needsProbe = hostAgents.some((agent) => agent.confinement === "bubblewrap");
  return { hostAgents, availability: needsProbe ? await probe() : undefined };
}

function secretFileCandidates(
  config: OpenClawConfig | undefined,
  configPath: string,
  stateDir: string,
  plaintext: AuditFinding[],
): { label: string; path: string }[] {
  const candidates = [
    { label: "gateway token", path: gatewayTokenPath(stateDir) },
    { label: "CLI token", path: localTokenPath(stateDir) },
    { label: "paired nodes", path: join(stateDir, NODES_FILE_NAME) },
  ];
  if (!config) return candidates;
  for (const [name, declaration] of Object.entries(config.externalSecrets)) {
    if (declaration.source === "file") {
      candidates.push({ label: `secret "${name}"`, path: resolve(dirname(configPath), declaration.path) });
    }
  }
  if (config.gateway.tls.enabled) {
    const { keyPath } = tlsPaths(config, dirname(configPath), stateDir);
    if (keyPath) candidates.push({ label: "TLS key", path: keyPath });
  }
  // The config file is a secret file too once it holds one.
  if (plaintext.some((finding) => resolve(finding.file) === resolve(configPath))) {
    candidates.push({ label: "openclaw.json (holds plaintext credentials)", path: resolve(configPath) });
  }
  return candidates;
}

/** The token file judged as the gateway would judge it at start; only a digest of its value. */
async function readGatewayTokenFact(stateDir: string): Promise<GatewayTokenFact> {
  const file = await inspectGatewayTokenFile(stateDir);
  if (file.kind === "valid")
    return { path: file.path, kind: "valid", fingerprint: gatewayTokenFingerprint(file.token) };
  return { path: file.path, kind: file.kind, ...("reason" in file ? { reason: file.reason } : {}) };
}

/** Looks at everything once; the checks then judge these facts without touching the system. */
export async function gatherFacts(options: GatherOptions): Promise<DoctorFacts> {
  const { configPath, stateDir } = options;
  const loaded = await loadConfig(configPath);
  const config = loaded.config?.config;
  const [stateDirFile, plaintext, gateway, gatewayToken] = await Promise.all([
    statFile(stateDir),
    auditPlaintextCredentials({ configPath, stateDir }),
    options.probeGateway(stateDir),
    readGatewayTokenFact(stateDir),
  ]);
  const stateDisk = await measureStateDisk(stateDir);
  const secretsRead = config ? await readSecrets(config, configPath, stateDir) : undefined;
  const secretFiles: SecretFileFact[] = await Promise.all(
    secretFileCandidates(config, configPath, stateDir, plaintext).map(async ({ label, path }) => ({
      label,
      ...(await statFile(path)),
    })),
  );
  return {
    configPath: resolve(configPath),
    stateDir,
    nodeVersion: process.versions.node,
    now: options.now?.() ?? Date.now(),
    uid: process.getuid?.(),
    config: loaded.config,
    configError: loaded.error,
    stateDirFile,
    stateDisk,
    secretFiles,
    plaintext,
    secrets: secretsRead?.secrets,
    authCredential: secretsRead?.credential,
    gatewayToken,
    tls: config ? await readTls(config, configPath, stateDir) : undefined,
    docker: config
      ? await readDocker(config, stateDir, options.probeDocker ?? defaultDockerProbe)
      : undefined,
    confinement: config
      ? await readConfinement(
          config,
          options.probeConfinement ??
            (() => createConfinement({ searchPath: process.env.PATH }).availability()),
        )
      : undefined,
    ...(config ? { skillWarnings: malformedSkills(config, configPath, stateDir) } : {}),
    gateway,
    ...(gateway.state === "running" ? {} : { memoryStores: await readMemoryStores(stateDir) }),
  };
}

/** Each agent's memory file, quick_checked; only while no gateway has them open. */
async function readMemoryStores(stateDir: string): Promise<MemoryStoreFileFact[]> {
  const directory = join(stateDir, "memory");
  const names = await readdir(directory).catch(() => [] as string[]);
  const stores = names.filter((name) => name.endsWith(".sqlite"));
  if (stores.length === 0) return [];
  const { inspectStoreFile } = await import("../memory/index.js");
  return stores.map((name) => {
    const path = join(directory, name);
    const problem = inspectStoreFile(path);
    return { agentId: name.slice(0, -".sqlite".length), path, ...(problem ? { problem } : {}) };
  });
}
