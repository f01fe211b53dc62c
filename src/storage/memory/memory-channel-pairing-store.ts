import { newPairingCode, normalizePairingCode } from "../channel-pairing-code.js";
import {
  type ChannelApproval,
  type ChannelPairingRequest,
  type ChannelPairingStore,
  DEFAULT_PAIRING_POLICY,
  type PairingPolicy,
  type PairingRequestResult,
} from "../channel-pairing-store.js";
import type { MemoryChannelState } from "./memory-channel-location.js";

const approvalKey = (channel: string, accountId: string, senderId: string) =>
  JSON.stringify([channel, accountId, senderId]);

/** DM pairing in a MemoryLocation, by the files backend's rules (codes, expiry, the pending bound). */
export class MemoryChannelPairingStore implements ChannelPairingStore {
  readonly #state: MemoryChannelState;
  readonly #now: () => number;

  constructor(state: MemoryChannelState, now: () => number = Date.now) {
    this.#state = state;
    this.#now = now;
  }

  async request(
    input: Parameters<ChannelPairingStore["request"]>[0],
    policy: PairingPolicy = DEFAULT_PAIRING_POLICY,
  ): Promise<PairingRequestResult> {
    const now = this.#now();
    this.#state.requests = this.#state.requests.filter((request) => request.expiresAt > now);
    const ofAccount = this.#state.requests.filter(
      (request) => request.channel === input.channel && request.accountId === input.accountId,
    );
    const existing = ofAccount.find((request) => request.senderId === input.senderId);
    if (existing) return { status: "pending", request: { ...existing } };
    if (ofAccount.length >= policy.maxPending) return { status: "full" };
    const code = newPairingCode((candidate) =>
      this.#state.requests.some((request) => request.code === candidate),
    );
    const request: ChannelPairingRequest = {
      channel: input.channel,
      accountId: input.accountId,
      code,
      senderId: input.senderId,
      ...(input.senderName !== undefined ? { senderName: input.senderName } : {}),
      ...(input.senderUsername !== undefined ? { senderUsername: input.senderUsername } : {}),
      peerId: input.peerId,
      createdAt: now,
      expiresAt: now + policy.ttlMs,
    };
    this.#state.requests.push(request);
    return { status: "created", request: { ...request } };
  }

  async pending(channel?: string): Promise<ChannelPairingRequest[]> {
    const now = this.#now();
    return this.#state.requests
      .filter((request) => request.expiresAt > now && (channel === undefined || request.channel === channel))
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((request) => ({ ...request }));
  }

  async approve(
    channel: string,
    code: string,
    accountId?: string,
  ): Promise<ChannelPairingRequest | undefined> {
    const request = this.#take(channel, code, accountId);
    if (!request) return undefined;
    const approval: ChannelApproval = {
      channel: request.channel,
      accountId: request.accountId,
      senderId: request.senderId,
      ...(request.senderName !== undefined ? { senderName: request.senderName } : {}),
      approvedAt: this.#now(),
    };
    this.#state.approvals.set(approvalKey(request.channel, request.accountId, request.senderId), approval);
    return { ...request };
  }

  async dismiss(channel: string, code: string, accountId?: string): Promise<boolean> {
    return this.#take(channel, code, accountId) !== undefined;
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    return this.#state.approvals.has(approvalKey(channel, accountId, senderId));
  }

  async approvals(channel?: string): Promise<ChannelApproval[]> {
    return [...this.#state.approvals.values()]
      .filter((approval) => channel === undefined || approval.channel === channel)
      .sort((a, b) => a.approvedAt - b.approvedAt)
      .map((approval) => ({ ...approval }));
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    return this.#state.approvals.delete(approvalKey(channel, accountId, senderId));
  }

  /** Removes and returns the unexpired request with this code on the channel (and account). */
  #take(channel: string, code: string, accountId: string | undefined): ChannelPairingRequest | undefined {
    const now = this.#now();
    const wanted = normalizePairingCode(code);
    const index = this.#state.requests.findIndex(
      (request) =>
        request.channel === channel &&
        request.code === wanted &&
        (accountId === undefined || request.accountId === accountId) &&
        request.expiresAt > now,
    );
    if (index === -1) return undefined;
    const [request] = this.#state.requests.splice(index, 1);
    return request;
  }
}
