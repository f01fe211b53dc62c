/**
 * The channel database's schema, one entry per version (`PRAGMA user_version`): a migration is
 * appended, never edited, so a file written by any earlier build is brought forward step by step.
 */
export const CHANNEL_MIGRATIONS: readonly string[] = [
  `
  -- AUTOINCREMENT: an id is never reused after a prune, so ids keep the order messages came in.
  CREATE TABLE inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    account_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'replying', 'replied', 'dropped')),
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    agent_id TEXT,
    session_key TEXT,
    reply_chunks TEXT,
    sent_chunks INTEGER NOT NULL DEFAULT 0,
    sent_message_ids TEXT NOT NULL DEFAULT '[]',
    preview_message_id TEXT,
    reason TEXT,
    UNIQUE (channel, account_id, message_id)
  );
  CREATE INDEX inbox_unfinished ON inbox (id) WHERE state IN ('pending', 'running', 'replying');
  CREATE INDEX inbox_finished ON inbox (updated_at) WHERE state IN ('replied', 'dropped');

  -- A code is unique across the table, expired rows included, so a code names one request.
  CREATE TABLE pairing_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    account_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    sender_name TEXT,
    sender_username TEXT,
    peer_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    UNIQUE (channel, account_id, sender_id)
  );

  CREATE TABLE pairing_approvals (
    channel TEXT NOT NULL,
    account_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_name TEXT,
    approved_at INTEGER NOT NULL,
    PRIMARY KEY (channel, account_id, sender_id)
  );
  `,
  `
  -- A conversation (or thread: '' when none) bound to a helper's session (sessions_spawn thread: true).
  CREATE TABLE thread_bindings (
    channel TEXT NOT NULL,
    account_id TEXT NOT NULL,
    peer_kind TEXT NOT NULL,
    peer_id TEXT NOT NULL,
    thread_id TEXT NOT NULL DEFAULT '',
    agent_id TEXT NOT NULL,
    session_key TEXT NOT NULL,
    parent_session_key TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('session', 'run')),
    created_at INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    idle_hours REAL NOT NULL,
    max_age_hours REAL NOT NULL,
    label TEXT,
    PRIMARY KEY (channel, account_id, peer_kind, peer_id, thread_id)
  );
  `,
];

export const CHANNELS_SCHEMA_VERSION = CHANNEL_MIGRATIONS.length;
