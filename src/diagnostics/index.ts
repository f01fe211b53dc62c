import { checkAgentAvailability, checkDegradedAgents, checkPoolRestarts } from "./agent-checks.js";
import { checkBrowser } from "./browser-checks.js";
import { checkChannels } from "./channel-checks.js";
import { checkConfig } from "./config-checks.js";
import { checkHostConfinement } from "./confinement-checks.js";
import { checkPlaintextConfig, checkPlaintextState, checkSecrets } from "./credential-checks.js";
import type { Diagnostic } from "./diagnostic.js";
import { checkStateDirDisk } from "./disk-checks.js";
import { checkNodeVersion, checkStateDir } from "./environment-checks.js";
import { checkBindExposure } from "./exposure-checks.js";
import type { DoctorFacts } from "./facts.js";
import { checkFiles } from "./file-checks.js";
import { checkGateway, checkGatewayConfigFile } from "./gateway-checks.js";
import { checkMcpServers } from "./mcp-checks.js";
import { checkMemoryStores, checkMemorySync, checkQdrantSetup } from "./memory-checks.js";
import { checkTrustedProxyConfig, checkTrustedProxyRefusals } from "./proxy-checks.js";
import { checkSessionRetention } from "./retention-checks.js";
import { checkDockerSandbox } from "./sandbox-checks.js";
import { checkSkills } from "./skills-checks.js";
import { checkStorage } from "./storage-checks.js";
import { checkTlsCertificate } from "./tls-checks.js";
import { checkWebFetchPolicy } from "./web-fetch-checks.js";

export type { Diagnostic, DiagnosticStatus, SafeFix } from "./diagnostic.js";
export type { DoctorFacts, GatewayFact } from "./facts.js";
export { type GatherOptions, gatherFacts } from "./gather-facts.js";

/**
 * Every check, in the order `doctor` prints them: the basics, then the seed's diagnosis
 * checklist (503s and threadBound, hardcoded keys, X-Forwarded-For, Qdrant sync), then exposure,
 * file modes, TLS, Docker and the confinement of host commands. Checks that need the running gateway are skipped when it is not.
 */
export function runChecks(facts: DoctorFacts): Diagnostic[] {
  const config = facts.config?.config;
  const running = facts.gateway.state === "running" ? facts.gateway : undefined;
  return [
    checkNodeVersion(facts.nodeVersion),
    checkConfig(facts),
    checkStateDir(facts),
    ...checkStateDirDisk(facts.stateDisk, facts.gateway),
    checkGateway(facts.gateway),
    ...checkStorage(running?.storage),
    ...checkGatewayConfigFile(facts.gateway, facts.configPath),
    ...(running ? checkDegradedAgents(running.agents) : []),
    ...(running ? checkAgentAvailability(running.agents) : []),
    ...(running ? checkPoolRestarts(running.pool, running.agents) : []),
    checkPlaintextConfig(facts.plaintext, facts.configPath),
    ...checkPlaintextState(facts.plaintext, facts.configPath),
    ...checkSecrets(facts.secrets),
    ...checkTrustedProxyConfig(config),
    ...(running ? checkTrustedProxyRefusals(running, config, facts.now) : []),
    ...checkQdrantSetup(config),
    ...(running ? checkMemorySync(running.memory, config) : []),
    ...checkMemoryStores(running?.memory, facts.memoryStores),
    ...(running ? checkSessionRetention(running.retention) : []),
    ...(running ? checkChannels(running.channels, facts.now) : []),
    ...(running ? checkMcpServers(running.mcp) : []),
    ...checkBindExposure(config, facts.authCredential, running?.listenHost),
    ...checkWebFetchPolicy(config),
    ...checkFiles(facts),
    ...checkTlsCertificate(facts.tls, facts.now),
    ...checkDockerSandbox(facts.docker),
    ...checkBrowser(config),
    ...checkHostConfinement(facts.confinement, facts.configPath),
    ...checkSkills(facts.skillWarnings),
  ];
}

export interface FixOutcome {
  action: string;
  /** Why it could not be applied; absent when it was. */
  error?: string;
}

/** Applies the safe fixes the checks offered, one by one; a failure is reported, not thrown. */
export async function applySafeFixes(diagnostics: Diagnostic[]): Promise<FixOutcome[]> {
  const outcomes: FixOutcome[] = [];
  for (const diagnostic of diagnostics) {
    if (!diagnostic.safeFix || diagnostic.status === "ok") continue;
    try {
      await diagnostic.safeFix.apply();
      outcomes.push({ action: diagnostic.safeFix.action });
    } catch (error) {
      outcomes.push({ action: diagnostic.safeFix.action, error: (error as Error).message });
    }
  }
  return outcomes;
}

/** What `doctor --json` prints for one diagnostic: the safe fix as the words of its action. */
export function diagnosticJson(diagnostic: Diagnostic) {
  const { safeFix, ...rest } = diagnostic;
  return { ...rest, ...(safeFix ? { fixable: safeFix.action } : {}) };
}
