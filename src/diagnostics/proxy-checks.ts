import { compileTrustedProxyPolicy, resolveAuthMode } from "../auth/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { isOpenClawError } from "../errors.js";
import { type Diagnostic, fail, formatAge, ok, plural, warn } from "./diagnostic.js";
import type { RunningGatewayFact } from "./facts.js";

const CONFIG_ID = "trusted-proxy-config";
const REFUSALS_ID = "trusted-proxy-forwarded-for";
/** A refusal older than this is history (reported as a warning), not the current state. */
export const RECENT_REFUSAL_MS = 15 * 60_000;

const LOOPBACK_ENTRY = /^(127\.|::1(\/|$)|::ffff:127\.)/i;

/**
 * The seed's third checklist line ("Canvas not accessible → check X-Forwarded-For"), first
 * half: a trusted-proxy config the gateway cannot serve with. Without trustedProxies it refuses
 * to start, so nothing (the canvas included) is reachable.
 */
export function checkTrustedProxyConfig(config: OpenClawConfig | undefined): Diagnostic[] {
  if (!config) return [];
  const mode = resolveAuthMode(config);
  if (mode !== "trusted-proxy") {
    return [ok(CONFIG_ID, `trusted proxy: not in use (gateway.auth.mode is ${mode})`)];
  }
  const { trustedProxies } = config.gateway;
  const proxy = config.gateway.auth.trustedProxy;
  if (trustedProxies.length === 0) {
    return [
      fail(
        CONFIG_ID,
        'gateway.auth.mode is "trusted-proxy" but gateway.trustedProxies is empty: the gateway refuses to start, so the canvas and every other route are unreachable',
        'list your reverse proxy\'s address (IP or CIDR): "gateway": { "trustedProxies": ["10.0.0.5"] }' +
          ' (a proxy on this host: ["127.0.0.1"] and "auth": { "trustedProxy": { "allowLoopback": true } })',
      ),
    ];
  }
  try {
    compileTrustedProxyPolicy({
      trustedProxies,
      userHeader: proxy?.userHeader ?? "x-forwarded-user",
      requiredHeaders: proxy?.requiredHeaders ?? [],
      allowLoopback: proxy?.allowLoopback ?? false,
      ...(proxy?.allowUsers ? { allowUsers: proxy.allowUsers } : {}),
    });
  } catch (error) {
    if (!isOpenClawError(error)) throw error;
    return [
      fail(
        CONFIG_ID,
        `trusted proxy: ${error.message}`,
        error.hint ?? "fix gateway.trustedProxies and gateway.auth.trustedProxy",
      ),
    ];
  }
  const loopback = trustedProxies.filter((entry) => LOOPBACK_ENTRY.test(entry.trim()));
  if (loopback.length > 0 && !proxy?.allowLoopback) {
    return [
      warn(
        CONFIG_ID,
        `gateway.trustedProxies lists ${loopback.join(", ")} but gateway.auth.trustedProxy.allowLoopback is off: requests from a proxy on this host are refused`,
        'if the proxy runs on this host: "gateway": { "auth": { "trustedProxy": { "allowLoopback": true } } }',
      ),
    ];
  }
  return [
    ok(
      CONFIG_ID,
      `trusted proxy: ${plural(trustedProxies.length, "proxy address", "proxy addresses")} (${trustedProxies.join(", ")}), user header ${proxy?.userHeader ?? "x-forwarded-user"}`,
    ),
  ];
}

interface RefusalAdvice {
  problem: string;
  fix: string;
  /** Whether it means legitimate users are locked out (fail) rather than strangers kept out (warn). */
  breaks: boolean;
}

/** Why requests through a trusted proxy were refused, in the seed's terms, and what to change. */
function adviceFor(reason: string, userHeader: string, count: number): RefusalAdvice | undefined {
  const were = count === 1 ? "was" : "were";
  switch (reason) {
    case "missing_forwarded_for":
      return {
        problem: `came from a trusted proxy without an X-Forwarded-For header and ${were} refused (401): the canvas and every other route are unreachable through it`,
        fix:
          "make the proxy send X-Forwarded-For on every request, e.g. nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; " +
          '(Caddy and Traefik send it by default); check with curl -H "X-Forwarded-For: 192.168.1.100" through the proxy',
        breaks: true,
      };
    case "invalid_forwarded_for":
      return {
        problem: `carried an X-Forwarded-For header that is not a list of IP addresses and ${were} refused (401)`,
        fix: "make the proxy append the client's IP address to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), not a host name",
        breaks: true,
      };
    case "loopback_proxy":
      return {
        problem:
          "came from a proxy on this host (loopback), which gateway.auth.trustedProxy.allowLoopback does not allow",
        fix: 'if your proxy runs on this host: "gateway": { "auth": { "trustedProxy": { "allowLoopback": true } } }',
        breaks: false,
      };
    case "untrusted_source":
      return {
        problem: `came from addresses not in gateway.trustedProxies and ${were} refused`,
        fix: "if they came from your proxy, add its address to gateway.trustedProxies; clients that bypass the proxy are refused as they should be",
        breaks: false,
      };
    case "missing_user":
      return {
        problem: `came through the proxy without the user header ${userHeader} and ${were} refused`,
        fix: `make the proxy authenticate users and set ${userHeader} (or set gateway.auth.trustedProxy.userHeader to the header it sets)`,
        breaks: false,
      };
    case "missing_required_header":
      return {
        problem:
          "came through the proxy without a header listed in gateway.auth.trustedProxy.requiredHeaders",
        fix: "make the proxy set every header in gateway.auth.trustedProxy.requiredHeaders, or remove the ones it does not send",
        breaks: false,
      };
    default:
      return undefined;
  }
}

/**
 * The seed's third checklist line, second half: the running gateway counts its refusals by
 * reason, so a proxy that sends no X-Forwarded-For shows up here even though each refused request
 * only got a 401. Recent refusals fail; old ones are reported as a warning.
 */
export function checkTrustedProxyRefusals(
  gateway: Pick<RunningGatewayFact, "authMode" | "refusals">,
  config: OpenClawConfig | undefined,
  now: number,
): Diagnostic[] {
  if (gateway.authMode !== "trusted-proxy") return [];
  const userHeader = config?.gateway.auth.trustedProxy?.userHeader ?? "x-forwarded-user";
  const findings: Diagnostic[] = [];
  for (const [reason, { count, lastAt }] of Object.entries(gateway.refusals)) {
    const advice = adviceFor(reason, userHeader, count);
    if (!advice || count === 0) continue;
    const age = now - Date.parse(lastAt);
    const recent = age < RECENT_REFUSAL_MS;
    const summary = `trusted proxy: ${plural(count, "request")} ${advice.problem} (last ${formatAge(age)} ago)`;
    findings.push(
      advice.breaks && recent
        ? fail(REFUSALS_ID, summary, advice.fix, { subject: reason })
        : warn(REFUSALS_ID, summary, advice.fix, { subject: reason }),
    );
  }
  if (findings.length > 0) return findings;
  return [
    ok(REFUSALS_ID, "trusted proxy: no request refused for its forwarded headers since the gateway started"),
  ];
}
