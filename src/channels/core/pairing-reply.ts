import type { ChannelPairingRequest } from "../../storage/channel-pairing-store.js";

/** What an unknown sender is told: their id, the code, and the exact command to approve it. */
export function pairingRequestText(request: ChannelPairingRequest): string {
  const minutes = Math.max(1, Math.round((request.expiresAt - request.createdAt) / 60_000));
  return [
    "This assistant only answers people its owner has approved.",
    "",
    `Your ${request.channel} id: ${request.senderId}`,
    `Pairing code: ${request.code} (valid for ${minutes} minutes)`,
    "",
    "Ask the owner to run:",
    `openclaw pairing approve ${request.channel} ${request.code}`,
  ].join("\n");
}

/** What an approved sender is told with `--notify`. */
export const PAIRING_APPROVED_TEXT = "You are approved: send a message and the assistant will answer.";
