import type { OpenClawConfig } from "../config/index.js";
import { type Diagnostic, warn } from "./diagnostic.js";

const ID = "web-fetch-ssrf";

/**
 * web_fetch's SSRF policy loosened: any agent (and any page that talks it into a fetch) can then
 * reach the gateway's own host, the LAN or a cloud metadata service. Worth a look, not a failure:
 * an operator may mean it.
 */
export function checkWebFetchPolicy(config: OpenClawConfig | undefined): Diagnostic[] {
  const fetchConfig = config?.tools?.web?.fetch;
  if (!fetchConfig || fetchConfig.enabled === false) return [];
  const policy = fetchConfig.ssrfPolicy ?? {};
  const findings: Diagnostic[] = [];
  if (policy.dangerouslyAllowPrivateNetwork === true) {
    findings.push(
      warn(
        ID,
        "web_fetch may reach private and internal addresses (tools.web.fetch.ssrfPolicy.dangerouslyAllowPrivateNetwork)",
        "set it to false and list the hosts you need in tools.web.fetch.ssrfPolicy.allowedHostnames",
      ),
    );
  }
  const broad = (policy.allowedHostnames ?? []).filter((host) => host === "*" || host === "*.*");
  if (broad.length > 0) {
    findings.push(
      warn(
        ID,
        `web_fetch's allowedHostnames has a pattern that matches every host: ${broad.join(", ")}`,
        "name the hosts (or *.example.com) that may be private, one by one",
      ),
    );
  }
  return findings;
}
