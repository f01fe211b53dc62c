// `openclaw gateway token`, apart from the commander wiring so that the fast path (fast-path.ts)
// runs it without loading commander.
import { OpenClawError } from "../errors.js";
import type { CliPaths } from "./cli-context.js";
import { findRunningGateway } from "./daemon.js";

/** The configured token (resolved from its secret), else the one token mode generated. */
export async function gatewayToken(paths: CliPaths): Promise<string> {
  // Not ../config/index.js, which loads zod and builds the schema: a cache hit needs neither.
  const { loadConfigFileCached } = await import("../config/validated-cache.js");
  const { config } = await loadConfigFileCached(paths.configPath, paths.stateDir);
  const configured = config.gateway.auth.token;
  if (typeof configured === "string") return configured;
  if (configured) {
    const { withLocalSecrets } = await import("../secrets/index.js");
    const name = configured.$secret;
    return withLocalSecrets(config, paths.configPath, (store) => {
      const value = store.get(name);
      if (value !== undefined) return value;
      const status = store.status(name);
      throw new OpenClawError("OC_ERR_SECRET_UNAVAILABLE", status?.error ?? `secret "${name}" has no value`, {
        ...(status?.hint ? { hint: status.hint } : {}),
      });
    });
  }
  const { gatewayTokenFingerprint, inspectGatewayTokenFile, gatewayTokenFileError } = await import(
    "../auth/gateway-token.js"
  );
  const file = await inspectGatewayTokenFile(paths.stateDir);
  const running = await findRunningGateway(paths.stateDir);
  const problem = gatewayTokenFileError(file);
  if (problem) throw problem;
  if (file.kind === "valid") {
    // The file is what clients are told; the running gateway says (by digest) what it accepts.
    const inUse = running?.tokenFingerprint;
    if (inUse && inUse !== gatewayTokenFingerprint(file.token)) {
      throw new OpenClawError(
        "OC_ERR_STATE_FILE",
        `${file.path} no longer holds the token the running gateway (pid ${running.pid}) accepts: it was changed after the gateway started`,
        {
          hint: "restart the gateway so that it uses the file's token: openclaw gateway stop && openclaw gateway start",
        },
      );
    }
    return file.token;
  }
  if (running?.tokenFingerprint) {
    throw new OpenClawError(
      "OC_ERR_STATE_FILE",
      `${file.path} is ${file.kind === "empty" ? "empty" : "gone"}, but the running gateway (pid ${running.pid}) accepts the token it loaded at start`,
      {
        hint: "restart the gateway to generate and save a new token: openclaw gateway stop && openclaw gateway start",
      },
    );
  }
  throw new OpenClawError(
    "OC_ERR_GATEWAY_NOT_RUNNING",
    file.kind === "empty"
      ? `${file.path} is empty (a write cut short): the gateway generates and saves a new token when it starts`
      : "no token yet: the gateway creates one on its first start",
    { hint: "run `openclaw gateway start`, then `openclaw gateway token`" },
  );
}
