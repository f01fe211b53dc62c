import { createSilentLogger } from "../../logging/index.js";
import type { ProviderFetch } from "../../models/index.js";
import type { AgentSupervisorOptions } from "../agent-supervisor.js";
import { HostServiceRegistry } from "../host-services/host-service-registry.js";

/** A test's egress: the dev model needs none, and a test that reaches for the network fails loudly. */
export const refuseEgress: ProviderFetch = async (input) => {
  throw new Error(
    `no network in this test (asked for ${String(input instanceof Request ? input.url : input)})`,
  );
};

/**
 * What a test's supervisor is given: its own state dir, a silent logger, no credentials, no
 * network and no host services, unless the test passes its own.
 */
export function testSupervisorOptions(
  stateDir: string,
  overrides: Partial<AgentSupervisorOptions> = {},
): AgentSupervisorOptions {
  return {
    logger: createSilentLogger(),
    readCredential: () => undefined,
    egressFetch: refuseEgress,
    stateDir,
    hostServices: new HostServiceRegistry(),
    ...overrides,
  };
}
