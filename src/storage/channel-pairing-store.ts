/**
 * DM pairing for messaging channels (OpenClaw's `pairing` dmPolicy): an unknown sender gets a
 * short code, an operator approves it, and from then on the sender may DM the account.
 * Approvals are per channel account and permanent until revoked; requests expire.
 */

export interface ChannelPairingRequest {
  channel: string;
  accountId: string;
  /** 8 characters of `ABCDEFGHJKLMNPQRSTUVWXYZ23456789` (no 0, O, 1, I). */
  code: string;
  senderId: string;
  senderName?: string;
  senderUsername?: string;
  /** The conversation to tell of an approval (`--notify`): the DM's peer id. */
  peerId: string;
  createdAt: number;
  /** createdAt + the policy's ttl; from this instant on the request is expired. */
  expiresAt: number;
}

export interface ChannelApproval {
  channel: string;
  accountId: string;
  senderId: string;
  senderName?: string;
  approvedAt: number;
}

export type PairingRequestResult =
  /** A new request: the sender is told its code (only now, so once per hour at most). */
  | { status: "created"; request: ChannelPairingRequest }
  /** The sender already has an unexpired request: nothing is sent again. */
  | { status: "pending"; request: ChannelPairingRequest }
  /** The account has `maxPending` unexpired requests: this one is ignored. */
  | { status: "full" };

export interface PairingPolicy {
  /** How long a code is valid. OpenClaw: 1 hour. */
  ttlMs: number;
  /** Unexpired requests per channel account at most. OpenClaw: 3. */
  maxPending: number;
}

export const DEFAULT_PAIRING_POLICY: PairingPolicy = { ttlMs: 60 * 60_000, maxPending: 3 };

export interface ChannelPairingStore {
  request(
    input: {
      channel: string;
      accountId: string;
      senderId: string;
      senderName?: string;
      senderUsername?: string;
      peerId: string;
    },
    policy?: PairingPolicy,
  ): Promise<PairingRequestResult>;
  /** Unexpired requests, oldest first; of one channel when given. */
  pending(channel?: string): Promise<ChannelPairingRequest[]>;
  /**
   * Approves the unexpired request with this code (case-insensitive, spaces ignored) on the channel (and
   * account, when given): the sender is approved, the request removed. Undefined when no such
   * request is pending.
   */
  approve(channel: string, code: string, accountId?: string): Promise<ChannelPairingRequest | undefined>;
  /** Removes a pending (unexpired) request without approving it; the sender may ask again. Matched as `approve` does. */
  dismiss(channel: string, code: string, accountId?: string): Promise<boolean>;
  isApproved(channel: string, accountId: string, senderId: string): Promise<boolean>;
  approvals(channel?: string): Promise<ChannelApproval[]>;
  revoke(channel: string, accountId: string, senderId: string): Promise<boolean>;
}
