import { newPairingCode, normalizePairingCode } from "../channel-pairing-code.js";
import {
  type ChannelApproval,
  type ChannelPairingRequest,
  type ChannelPairingStore,
  DEFAULT_PAIRING_POLICY,
  type PairingPolicy,
  type PairingRequestResult,
} from "../channel-pairing-store.js";
import type { ChannelDatabase } from "./channel-database.js";

interface RequestRow {
  seq: number;
  channel: string;
  account_id: string;
  sender_id: string;
  code: string;
  sender_name: string | null;
  sender_username: string | null;
  peer_id: string;
  created_at: number;
  expires_at: number;
}

interface ApprovalRow {
  channel: string;
  account_id: string;
  sender_id: string;
  sender_name: string | null;
  approved_at: number;
}

const DELETE_EXPIRED = "DELETE FROM pairing_requests WHERE expires_at <= ?";
const SENDER_REQUEST =
  "SELECT * FROM pairing_requests WHERE channel = ? AND account_id = ? AND sender_id = ? AND expires_at > ?";
const ACCOUNT_PENDING =
  "SELECT COUNT(*) AS count FROM pairing_requests WHERE channel = ? AND account_id = ? AND expires_at > ?";
const CODE_TAKEN = "SELECT 1 FROM pairing_requests WHERE code = ?";
const INSERT_REQUEST = `INSERT INTO pairing_requests
  (channel, account_id, sender_id, code, sender_name, sender_username, peer_id, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`;
const PENDING = "SELECT * FROM pairing_requests WHERE expires_at > ? ORDER BY created_at, seq";
const PENDING_OF_CHANNEL =
  "SELECT * FROM pairing_requests WHERE expires_at > ? AND channel = ? ORDER BY created_at, seq";
// `?3 IS NULL`: any account of the channel when none is given.
const FIND_CODE = `SELECT * FROM pairing_requests
  WHERE channel = ?1 AND code = ?2 AND (?3 IS NULL OR account_id = ?3) AND expires_at > ?4`;
const DELETE_REQUEST = "DELETE FROM pairing_requests WHERE seq = ?";
const APPROVE = `INSERT INTO pairing_approvals (channel, account_id, sender_id, sender_name, approved_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, account_id, sender_id)
  DO UPDATE SET sender_name = excluded.sender_name, approved_at = excluded.approved_at`;
const IS_APPROVED = "SELECT 1 FROM pairing_approvals WHERE channel = ? AND account_id = ? AND sender_id = ?";
const APPROVALS = "SELECT * FROM pairing_approvals ORDER BY approved_at, rowid";
const APPROVALS_OF_CHANNEL = "SELECT * FROM pairing_approvals WHERE channel = ? ORDER BY approved_at, rowid";
const REVOKE = "DELETE FROM pairing_approvals WHERE channel = ? AND account_id = ? AND sender_id = ?";

/**
 * DM pairing in the channel database. `request` runs in one write transaction (expired requests
 * deleted, the sender's own looked up, the account's count checked, a free code drawn), so two
 * processes asking at once cannot both take the account's last slot or the same code.
 */
export class SqliteChannelPairingStore implements ChannelPairingStore {
  readonly #database: ChannelDatabase;
  readonly #now: () => number;

  constructor(database: ChannelDatabase, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async request(
    input: Parameters<ChannelPairingStore["request"]>[0],
    policy: PairingPolicy = DEFAULT_PAIRING_POLICY,
  ): Promise<PairingRequestResult> {
    const now = this.#now();
    return this.#database.write((): PairingRequestResult => {
      const statement = (sql: string) => this.#database.statement(sql);
      statement(DELETE_EXPIRED).run(now);
      const existing = statement(SENDER_REQUEST).get(input.channel, input.accountId, input.senderId, now) as
        | RequestRow
        | undefined;
      if (existing) return { status: "pending", request: requestOf(existing) };
      const { count } = statement(ACCOUNT_PENDING).get(input.channel, input.accountId, now) as {
        count: number;
      };
      if (count >= policy.maxPending) return { status: "full" };
      const code = newPairingCode((candidate) => statement(CODE_TAKEN).get(candidate) !== undefined);
      const row = statement(INSERT_REQUEST).get(
        input.channel,
        input.accountId,
        input.senderId,
        code,
        input.senderName ?? null,
        input.senderUsername ?? null,
        input.peerId,
        now,
        now + policy.ttlMs,
      ) as unknown as RequestRow;
      return { status: "created", request: requestOf(row) };
    });
  }

  async pending(channel?: string): Promise<ChannelPairingRequest[]> {
    const now = this.#now();
    return this.#database.read(
      () => {
        const rows =
          channel === undefined
            ? this.#database.statement(PENDING).all(now)
            : this.#database.statement(PENDING_OF_CHANNEL).all(now, channel);
        return (rows as unknown as RequestRow[]).map(requestOf);
      },
      () => [],
    );
  }

  async approve(
    channel: string,
    code: string,
    accountId?: string,
  ): Promise<ChannelPairingRequest | undefined> {
    const now = this.#now();
    return this.#database.write(
      () => {
        const row = this.#find(channel, code, accountId, now);
        if (!row) return undefined;
        this.#database
          .statement(APPROVE)
          .run(row.channel, row.account_id, row.sender_id, row.sender_name, now);
        this.#database.statement(DELETE_REQUEST).run(row.seq);
        return requestOf(row);
      },
      () => undefined,
    );
  }

  async dismiss(channel: string, code: string, accountId?: string): Promise<boolean> {
    const now = this.#now();
    return this.#database.write(
      () => {
        const row = this.#find(channel, code, accountId, now);
        if (row) this.#database.statement(DELETE_REQUEST).run(row.seq);
        return row !== undefined;
      },
      () => false,
    );
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    return this.#database.read(
      () => this.#database.statement(IS_APPROVED).get(channel, accountId, senderId) !== undefined,
      () => false,
    );
  }

  async approvals(channel?: string): Promise<ChannelApproval[]> {
    return this.#database.read(
      () => {
        const rows =
          channel === undefined
            ? this.#database.statement(APPROVALS).all()
            : this.#database.statement(APPROVALS_OF_CHANNEL).all(channel);
        return (rows as unknown as ApprovalRow[]).map(approvalOf);
      },
      () => [],
    );
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    return this.#database.write(
      () => Number(this.#database.statement(REVOKE).run(channel, accountId, senderId).changes) > 0,
      () => false,
    );
  }

  #find(channel: string, code: string, accountId: string | undefined, now: number): RequestRow | undefined {
    return this.#database
      .statement(FIND_CODE)
      .get(channel, normalizePairingCode(code), accountId ?? null, now) as RequestRow | undefined;
  }
}

function requestOf(row: RequestRow): ChannelPairingRequest {
  return {
    channel: row.channel,
    accountId: row.account_id,
    code: row.code,
    senderId: row.sender_id,
    ...(row.sender_name !== null ? { senderName: row.sender_name } : {}),
    ...(row.sender_username !== null ? { senderUsername: row.sender_username } : {}),
    peerId: row.peer_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function approvalOf(row: ApprovalRow): ChannelApproval {
  return {
    channel: row.channel,
    accountId: row.account_id,
    senderId: row.sender_id,
    ...(row.sender_name !== null ? { senderName: row.sender_name } : {}),
    approvedAt: row.approved_at,
  };
}
