import { ClusterFailureLimiter } from "../auth/index.js";
import { HookAuthenticator, HookService } from "../automation/hooks/index.js";
import type { Gateway } from "./gateway.js";
import type { HookRouteDeps } from "./routes/hook-routes.js";

/** The gateway's webhooks (`hooks.*`): who may call them, and what they run. */
export interface GatewayHooks {
  auth: HookAuthenticator;
  service: HookService;
}

/**
 * Built once with the gateway, so that the failure counter and the wake queue outlive a config
 * reload; everything they read (enabled, the token, the agents) is read per request.
 */
export function createGatewayHooks(gateway: Gateway): GatewayHooks {
  const hooks = () => gateway.config().hooks;
  const { storage } = gateway;
  const auth = new HookAuthenticator({
    // In a cluster a sender's failures count on every gateway, as the gateway auth's do.
    ...(storage.shared
      ? {
          clusterFailures: new ClusterFailureLimiter({
            store: storage.failureCounters,
            events: storage.events,
            scope: "hooks",
          }),
        }
      : {}),
    enabled: () => hooks().enabled,
    // Read in the gateway process only; the value goes to no worker, tool or log.
    token: () => {
      const token = hooks().token;
      if (token === undefined) return undefined;
      return typeof token === "string" ? token : gateway.credentials.store.get(token.$secret);
    },
    gatewaySecrets: () => [
      gateway.credentials.authCredential("token"),
      gateway.credentials.authCredential("password"),
      gateway.security.generatedTokenForDisplay(),
    ],
    onUnusableToken: (cause) =>
      gateway.logger.error(
        { cause },
        cause === "same-as-gateway"
          ? "hooks.token is the gateway's own token or password: hook requests are refused until it has a value of its own"
          : "hooks.token has no value (its secret is unset): hook requests are refused",
      ),
  });
  const service = new HookService({
    config: hooks,
    agents: {
      has: (agentId) => gateway.supervisor.has(agentId),
      defaultAgentId: () => gateway.supervisor.agentIds()[0] ?? "main",
    },
    runs: gateway.runs,
    send: (request) => gateway.channels.send(request),
    logger: gateway.logger,
  });
  return { auth, service };
}

/** What the hook routes are given when the server is built. */
export function hookRouteDeps(gateway: Gateway): HookRouteDeps {
  return {
    path: gateway.config().hooks.path,
    maxBodyBytes: () => gateway.config().hooks.maxBodyBytes,
    service: gateway.hooks.service,
  };
}
