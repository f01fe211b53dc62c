import { type Diagnostic, fail, formatAge, ok, warn } from "./diagnostic.js";
import type { ChannelAccountFact } from "./facts.js";

const ID = "channels";

/** An account connecting for longer than this is stuck, not starting. */
const STUCK_STARTING_MS = 60_000;

/** What to do about an account that cannot connect, by why. */
function fixFor(account: ChannelAccountFact): string {
  const where = `channels.${account.channel}${account.accountId === "default" ? "" : `.accounts.${account.accountId}`}`;
  switch (account.errorCode) {
    case "OC_ERR_CHANNEL_AUTH":
      if (account.channel === "slack")
        return `Slack refused the ${account.detail?.includes("appToken") ? "app token" : "bot token"}: reinstall the app or put a fresh token into the secret ${where}.${account.detail?.includes("appToken") ? "appToken" : "botToken"} references, then \`openclaw secrets reload\``;
      if (account.channel === "discord")
        return `the bot token was refused: reset it in the Discord Developer Portal (Bot → Reset Token), put it into the secret ${where}.token references, then \`openclaw secrets reload\``;
      return account.channel === "telegram"
        ? `the bot token was refused: put the token BotFather gave you into the secret ${where}.botToken references, then \`openclaw secrets reload\``
        : `the server refused the password: fix the secret of ${where}.password (or sasl/nickserv), then \`openclaw secrets reload\``;
    case "OC_ERR_SECRET_UNAVAILABLE":
    case "OC_ERR_SECRET_INSECURE":
      return `the token's secret has no usable value: \`openclaw secrets check\`, fix it, then \`openclaw secrets reload\``;
    default:
      return `check that the ${account.channel} server answers from this host (${where}); the gateway keeps retrying with back-off`;
  }
}

/**
 * Each channel account of the running gateway: ready, or why not (a refused token is a FAIL
 * with the fix; a lost connection is a warning, since the gateway reconnects by itself).
 */
export function checkChannels(accounts: ChannelAccountFact[] | undefined, now: number): Diagnostic[] {
  if (!accounts || accounts.length === 0) return [];
  const findings: Diagnostic[] = [];
  for (const account of accounts) {
    const name = `${account.channel}:${account.accountId}`;
    const backlog = account.inboxDepth > 0 ? `, ${account.inboxDepth} message(s) waiting in its inbox` : "";
    if (account.state === "ready") {
      findings.push(ok(ID, `channel ${name}: ready${backlog}`));
      continue;
    }
    if (account.state === "starting" && now - account.since < STUCK_STARTING_MS) {
      findings.push(ok(ID, `channel ${name}: connecting`));
      continue;
    }
    const why = account.detail ?? account.state;
    const since = formatAge(now - account.since);
    const message = `channel ${name} is ${account.state} for ${since}: ${why}${backlog}`;
    findings.push(
      account.errorCode === "OC_ERR_CHANNEL_AUTH" || account.errorCode?.startsWith("OC_ERR_SECRET")
        ? fail(ID, message, fixFor(account))
        : warn(ID, message, fixFor(account)),
    );
  }
  return findings;
}
