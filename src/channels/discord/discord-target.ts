import { OpenClawError } from "../../errors.js";
import type { OutboundTarget } from "../core/channel-account.js";

const SNOWFLAKE = /^\d{1,20}$/;

/**
 * Where `openclaw message send --channel discord --target <raw>` goes, in OpenClaw's forms:
 * `channel:<id>` (a guild channel or a thread: Discord posts to either by id), `user:<id>` (a
 * DM), and the mention forms `<#id>`, `<@id>`. A bare id is taken as a user, which is how the
 * core addresses a sender it tells about an approved pairing; the hint says how to name a channel.
 */
export function resolveDiscordTarget(raw: string, threadId?: string): OutboundTarget {
  const value = raw.trim().replace(/^discord:/i, "");
  const thread = threadId !== undefined ? { threadId } : {};
  const prefixed = /^(channel|user):(.+)$/i.exec(value);
  const mention = /^<(#|@!?)(\d+)>$/.exec(value);
  let kind: "channel" | "direct" | undefined;
  let id: string | undefined;
  if (prefixed) {
    kind = prefixed[1]!.toLowerCase() === "channel" ? "channel" : "direct";
    id = prefixed[2]!.trim();
  } else if (mention) {
    kind = mention[1] === "#" ? "channel" : "direct";
    id = mention[2];
  } else {
    kind = "direct";
    id = value;
  }
  if (id === undefined || !SNOWFLAKE.test(id)) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `not a Discord target: "${raw}"`, {
      hint: "use channel:<channel id> for a guild channel or thread, user:<user id> for a DM (Developer Mode → Copy ID)",
    });
  }
  return { peer: { kind, id }, ...thread };
}
