import { agentOffersTool, type HostServiceHandler } from "../agents/index.js";
import { browserService, contextKey, SessionBrowsers } from "../browser/index.js";
import { resolveAgentConfigs } from "../config/agents.js";
import type { OpenClawConfig } from "../config/index.js";
import { parseSessionKey } from "../sessions/index.js";

/**
 * The browser tool's gateway side: Chromium starts on the first call, each session gets its own
 * context, an idle one is closed, and all close when the process ends (playwright kills the
 * Chromium it launched when this process exits).
 */
export function gatewayBrowserService(options: {
  config: () => OpenClawConfig;
  stateDir: string;
  /** Where deleted sessions are told; read on first use (the transcripts exist by then). */
  sessionEnds?: () => { onSessionEnd(listener: (sessionKey: string) => void): () => void };
}): HostServiceHandler {
  const settings = () => {
    const browser = options.config().tools?.browser;
    const policy = browser?.ssrfPolicy;
    return {
      executablePath: browser?.executablePath ?? "/usr/bin/chromium",
      idleMs: (browser?.idleSeconds ?? 600) * 1000,
      stateDir: options.stateDir,
      maxSnapshotChars: 20_000,
      ssrfPolicy: {
        allowedHostnames: policy?.allowedHostnames ?? [],
        dangerouslyAllowPrivateNetwork:
          policy?.dangerouslyAllowPrivateNetwork === true || policy?.allowPrivateNetwork === true,
      },
    };
  };
  const browsers = new SessionBrowsers(settings);
  let listening = false;
  const service = browserService({
    browsers,
    allowed: (agentId) => {
      const config = options.config();
      if (config.tools?.browser?.enabled === false) return false;
      const agent = resolveAgentConfigs(config).find((candidate) => candidate.id === agentId);
      return agent !== undefined && agentOffersTool(agent, config, "browser");
    },
  });
  return (call) => {
    // A deleted session's context is closed at once, not when it would have idled.
    if (!listening && options.sessionEnds) {
      listening = true;
      options.sessionEnds().onSessionEnd((sessionKey) => {
        const agentId = parseSessionKey(sessionKey)?.agentId;
        if (agentId === undefined) return;
        const key = contextKey(agentId, sessionKey);
        if (browsers.has(key)) void browsers.close(key).catch(() => undefined);
      });
    }
    return service(call);
  };
}
