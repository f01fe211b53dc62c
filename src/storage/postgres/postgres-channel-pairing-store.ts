import type pg from "pg";
import { newPairingCode, normalizePairingCode } from "../channel-pairing-code.js";
import {
  type ChannelApproval,
  type ChannelPairingRequest,
  type ChannelPairingStore,
  DEFAULT_PAIRING_POLICY,
  type PairingPolicy,
  type PairingRequestResult,
} from "../channel-pairing-store.js";
import type { PostgresDatabase } from "./postgres-database.js";

/**
 * DM pairing on PostgreSQL, by the files backend's rules. A request runs in a transaction that
 * holds an advisory lock on its channel account, so the pending bound holds across gateways.
 */
export class PostgresChannelPairingStore implements ChannelPairingStore {
  constructor(private readonly database: PostgresDatabase) {}

  async request(
    input: Parameters<ChannelPairingStore["request"]>[0],
    policy: PairingPolicy = DEFAULT_PAIRING_POLICY,
  ): Promise<PairingRequestResult> {
    const now = this.database.now();
    return this.database.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
        JSON.stringify(["channel-pairing", input.channel, input.accountId]),
      ]);
      await client.query("DELETE FROM channel_pairing_requests WHERE expires_at <= $1", [now]);
      const { rows } = await client.query<{ request: ChannelPairingRequest }>(
        "SELECT request FROM channel_pairing_requests WHERE channel = $1 AND account_id = $2 ORDER BY created_seq",
        [input.channel, input.accountId],
      );
      const existing = rows.find((row) => row.request.senderId === input.senderId);
      if (existing) return { status: "pending", request: existing.request };
      if (rows.length >= policy.maxPending) return { status: "full" };
      const request: ChannelPairingRequest = {
        channel: input.channel,
        accountId: input.accountId,
        code: "",
        senderId: input.senderId,
        ...(input.senderName !== undefined ? { senderName: input.senderName } : {}),
        ...(input.senderUsername !== undefined ? { senderUsername: input.senderUsername } : {}),
        peerId: input.peerId,
        createdAt: now,
        expiresAt: now + policy.ttlMs,
      };
      // A clash is all but impossible; the primary key refuses one, and a fresh code is drawn.
      for (;;) {
        request.code = newPairingCode(() => false);
        const inserted = await client.query(
          `INSERT INTO channel_pairing_requests (code, channel, account_id, sender_id, created_at, expires_at, request)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (code) DO NOTHING`,
          [
            request.code,
            request.channel,
            request.accountId,
            request.senderId,
            now,
            request.expiresAt,
            JSON.stringify(request),
          ],
        );
        if ((inserted.rowCount ?? 0) > 0) break;
      }
      return { status: "created", request };
    });
  }

  async pending(channel?: string): Promise<ChannelPairingRequest[]> {
    const { rows } = await this.database.query<{ request: ChannelPairingRequest }>(
      `SELECT request FROM channel_pairing_requests WHERE expires_at > $1 AND ($2::text IS NULL OR channel = $2)
       ORDER BY created_at, created_seq`,
      [this.database.now(), channel ?? null],
    );
    return rows.map((row) => row.request);
  }

  async approve(
    channel: string,
    code: string,
    accountId?: string,
  ): Promise<ChannelPairingRequest | undefined> {
    return this.database.transaction(async (client) => {
      const request = await this.take(client, channel, code, accountId);
      if (!request) return undefined;
      const approval: ChannelApproval = {
        channel: request.channel,
        accountId: request.accountId,
        senderId: request.senderId,
        ...(request.senderName !== undefined ? { senderName: request.senderName } : {}),
        approvedAt: this.database.now(),
      };
      await client.query(
        `INSERT INTO channel_approvals (channel, account_id, sender_id, approval) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (channel, account_id, sender_id) DO UPDATE SET approval = EXCLUDED.approval`,
        [approval.channel, approval.accountId, approval.senderId, JSON.stringify(approval)],
      );
      return request;
    });
  }

  async dismiss(channel: string, code: string, accountId?: string): Promise<boolean> {
    return this.database.transaction(
      async (client) => (await this.take(client, channel, code, accountId)) !== undefined,
    );
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      "SELECT 1 FROM channel_approvals WHERE channel = $1 AND account_id = $2 AND sender_id = $3",
      [channel, accountId, senderId],
    );
    return (rowCount ?? 0) > 0;
  }

  async approvals(channel?: string): Promise<ChannelApproval[]> {
    const { rows } = await this.database.query<{ approval: ChannelApproval }>(
      `SELECT approval FROM channel_approvals WHERE ($1::text IS NULL OR channel = $1)
       ORDER BY (approval->>'approvedAt')::float8, approved_seq`,
      [channel ?? null],
    );
    return rows.map((row) => row.approval);
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      "DELETE FROM channel_approvals WHERE channel = $1 AND account_id = $2 AND sender_id = $3",
      [channel, accountId, senderId],
    );
    return (rowCount ?? 0) > 0;
  }

  private async take(
    client: pg.PoolClient,
    channel: string,
    code: string,
    accountId: string | undefined,
  ): Promise<ChannelPairingRequest | undefined> {
    const { rows } = await client.query<{ request: ChannelPairingRequest }>(
      `DELETE FROM channel_pairing_requests
       WHERE channel = $1 AND code = $2 AND ($3::text IS NULL OR account_id = $3) AND expires_at > $4
       RETURNING request`,
      [channel, normalizePairingCode(code), accountId ?? null, this.database.now()],
    );
    return rows[0]?.request;
  }
}
