/**
 * The PostgreSQL storage's schema, one numbered step per change: a step once released is never
 * edited (a database that ran it would not run it again), a change is a new step. Times are
 * epoch ms in bigint columns, as the rest of the gateway counts them; JSON is stored as text
 * where it is handed back as it was given (transcript entries, usage sums), as jsonb where SQL
 * looks inside.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "storage",
    sql: `
CREATE TABLE transcript_units (
  name text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('session', 'requests')),
  session_key text,
  day text,
  bytes bigint NOT NULL DEFAULT 0,
  entry_count bigint NOT NULL DEFAULT 0,
  last_entry text,
  last_written_at bigint NOT NULL
);
CREATE TABLE transcript_entries (
  seq bigserial PRIMARY KEY,
  unit text NOT NULL REFERENCES transcript_units (name) ON DELETE CASCADE,
  session_key text NOT NULL,
  entry text NOT NULL
);
CREATE INDEX transcript_entries_by_unit ON transcript_entries (unit, session_key, seq);

CREATE TABLE usage_sums (
  seq bigserial PRIMARY KEY,
  minute text NOT NULL,
  agent text NOT NULL,
  entry text NOT NULL
);
CREATE INDEX usage_sums_by_minute ON usage_sums (minute);

CREATE TABLE node_records (
  id text PRIMARY KEY,
  position bigserial,
  record jsonb NOT NULL
);

CREATE TABLE run_leases (
  key text PRIMARY KEY,
  token text NOT NULL,
  expires_at bigint NOT NULL
);

CREATE TABLE idempotency_keys (
  purpose text NOT NULL,
  key text NOT NULL,
  claim_seq bigserial,
  value text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (purpose, key)
);
CREATE INDEX idempotency_keys_by_claim ON idempotency_keys (purpose, claim_seq);

CREATE TABLE channel_inbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  account_id text NOT NULL,
  message_id text NOT NULL,
  state text NOT NULL,
  updated_at bigint NOT NULL,
  entry jsonb NOT NULL,
  UNIQUE (channel, account_id, message_id)
);
CREATE INDEX channel_inbox_unfinished ON channel_inbox (id) WHERE state IN ('pending', 'running', 'replying');

CREATE TABLE channel_pairing_requests (
  code text PRIMARY KEY,
  channel text NOT NULL,
  account_id text NOT NULL,
  sender_id text NOT NULL,
  created_seq bigserial,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  request jsonb NOT NULL
);
CREATE INDEX channel_pairing_requests_by_account ON channel_pairing_requests (channel, account_id);

CREATE TABLE channel_approvals (
  channel text NOT NULL,
  account_id text NOT NULL,
  sender_id text NOT NULL,
  approved_seq bigserial,
  approval jsonb NOT NULL,
  PRIMARY KEY (channel, account_id, sender_id)
);

CREATE TABLE thread_bindings (
  place text PRIMARY KEY,
  created_seq bigserial,
  binding jsonb NOT NULL
);

CREATE TABLE cluster_events (
  seq bigserial PRIMARY KEY,
  topic text NOT NULL,
  origin text NOT NULL,
  payload jsonb,
  at bigint NOT NULL
);
CREATE INDEX cluster_events_by_at ON cluster_events (at);

CREATE TABLE replicas (
  id text PRIMARY KEY,
  internal_url text NOT NULL,
  version text NOT NULL,
  started_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL
);

CREATE TABLE capability_key (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key bytea NOT NULL
);

CREATE TABLE capability_revocations (
  scope text NOT NULL,
  id text NOT NULL,
  issued_up_to bigint NOT NULL,
  keep_until bigint NOT NULL,
  PRIMARY KEY (scope, id)
);

CREATE TABLE failure_counters (
  key text PRIMARY KEY,
  failures bigint[] NOT NULL DEFAULT '{}',
  locked_until bigint NOT NULL DEFAULT 0,
  updated_at bigint NOT NULL
);
CREATE INDEX failure_counters_by_update ON failure_counters (updated_at);
`,
  },
  {
    // Automation's cron jobs (src/automation/cron/postgres-cron-store.ts) share the database and
    // its one schema version: the tables are declared here, the store that uses them there.
    version: 2,
    name: "cron",
    sql: `
CREATE TABLE cron_jobs (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  spec jsonb NOT NULL,
  created_at bigint NOT NULL,
  created_seq bigserial,
  last_slot bigint
);
CREATE TABLE cron_runs (
  seq bigserial PRIMARY KEY,
  job_id text NOT NULL,
  slot_ms bigint NOT NULL,
  outcome text NOT NULL,
  run jsonb NOT NULL
);
CREATE INDEX cron_runs_by_job ON cron_runs (job_id, seq);
CREATE INDEX cron_runs_running ON cron_runs (seq) WHERE outcome = 'running';
`,
  },
];

/** The newest schema this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce(
  (newest, migration) => Math.max(newest, migration.version),
  0,
);
