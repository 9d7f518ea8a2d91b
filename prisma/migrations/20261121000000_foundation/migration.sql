-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'member');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'member',
    "disabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_buckets" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "events" (
    "seq" BIGINT NOT NULL,
    "id" TEXT NOT NULL,
    "stream_type" TEXT NOT NULL,
    "stream_id" TEXT NOT NULL,
    "stream_seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "subject_type" TEXT,
    "subject_id" TEXT,
    "correlation_id" TEXT NOT NULL,
    "causation_id" TEXT,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "event_checkpoints" (
    "seq" BIGINT NOT NULL,
    "head_hash" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_checkpoints_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "event_pending" (
    "id" TEXT NOT NULL,
    "stream_type" TEXT NOT NULL,
    "stream_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "subject_type" TEXT,
    "subject_id" TEXT,
    "correlation_id" TEXT NOT NULL,
    "causation_id" TEXT,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "event_pending_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_created_at_idx" ON "api_tokens"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_id_key" ON "events"("id");

-- CreateIndex
CREATE INDEX "events_type_seq_idx" ON "events"("type", "seq");

-- CreateIndex
CREATE INDEX "events_actor_id_seq_idx" ON "events"("actor_id", "seq");

-- CreateIndex
CREATE INDEX "events_actor_type_seq_idx" ON "events"("actor_type", "seq");

-- CreateIndex
CREATE INDEX "events_severity_seq_idx" ON "events"("severity", "seq");

-- CreateIndex
CREATE INDEX "events_correlation_id_seq_idx" ON "events"("correlation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "events_stream_type_stream_id_stream_seq_key" ON "events"("stream_type", "stream_id", "stream_seq");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------

-- The event log is append-only in the database itself, whoever connects.
CREATE FUNCTION capreg_reject_event_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION capreg_reject_event_mutation();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION capreg_reject_event_mutation();
CREATE TRIGGER event_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON "event_checkpoints"
  FOR EACH ROW EXECUTE FUNCTION capreg_reject_event_mutation();
CREATE TRIGGER event_checkpoints_no_truncate BEFORE TRUNCATE ON "event_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION capreg_reject_event_mutation();

-- Appending is two steps, so the chain lock is held only inside COMMIT itself, never
-- across a client round trip:
-- 1. capreg_append_event (called in the caller's transaction, next to its state change)
--    stores the event in event_pending; nothing is locked yet.
-- 2. At COMMIT a deferred constraint trigger takes a transaction-scoped advisory lock,
--    gives the event the next seq and the chain hash, moves it into events and notifies.
--    The lock is released when the commit completes, so seq is gapless, commit order is
--    seq order and the chain never forks; an aborted transaction leaves no trace.
-- The caller passes the canonical JSON of the event body (every field but seq,
-- stream_seq and the hashes); the chained document is
--   {"event":<body>,"seq":<seq>,"streamSeq":<stream_seq>}
-- which is the canonical JSON of that object because its keys are already sorted, and
--   hash = sha256_hex(prev_hash || document).
-- The verifier (lib/events/verify-chain.ts) recomputes the same from the stored columns.
CREATE FUNCTION capreg_append_event(
  p_id TEXT, p_stream_type TEXT, p_stream_id TEXT, p_type TEXT, p_severity TEXT,
  p_actor_type TEXT, p_actor_id TEXT, p_subject_type TEXT, p_subject_id TEXT,
  p_correlation_id TEXT, p_causation_id TEXT, p_data JSONB, p_created_at TIMESTAMPTZ,
  p_body TEXT
) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'events must be appended in READ COMMITTED transactions (this one is %)',
      current_setting('transaction_isolation');
  END IF;
  INSERT INTO event_pending (id, stream_type, stream_id, type, severity, actor_type, actor_id,
    subject_type, subject_id, correlation_id, causation_id, data, created_at, body)
  VALUES (p_id, p_stream_type, p_stream_id, p_type, p_severity, p_actor_type, p_actor_id,
    p_subject_type, p_subject_id, p_correlation_id, p_causation_id, p_data, p_created_at, p_body);
END;
$$;

CREATE FUNCTION capreg_chain_pending_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_seq BIGINT;
  v_prev TEXT;
  v_stream_seq INTEGER;
  v_hash TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(7286014419);
  SELECT e.seq, e.hash INTO v_seq, v_prev FROM events e ORDER BY e.seq DESC LIMIT 1;
  IF v_seq IS NULL THEN
    v_seq := 0;
    v_prev := repeat('0', 64);
  END IF;
  v_seq := v_seq + 1;
  SELECT COALESCE(MAX(e.stream_seq), 0) + 1 INTO v_stream_seq FROM events e
    WHERE e.stream_type = NEW.stream_type AND e.stream_id = NEW.stream_id;
  v_hash := encode(sha256(convert_to(
    v_prev || '{"event":' || NEW.body || ',"seq":' || v_seq || ',"streamSeq":' || v_stream_seq || '}',
    'UTF8')), 'hex');
  INSERT INTO events (seq, id, stream_type, stream_id, stream_seq, type, severity, actor_type,
    actor_id, subject_type, subject_id, correlation_id, causation_id, data, created_at,
    prev_hash, hash)
  VALUES (v_seq, NEW.id, NEW.stream_type, NEW.stream_id, v_stream_seq, NEW.type, NEW.severity,
    NEW.actor_type, NEW.actor_id, NEW.subject_type, NEW.subject_id, NEW.correlation_id,
    NEW.causation_id, NEW.data, NEW.created_at, v_prev, v_hash);
  DELETE FROM event_pending WHERE id = NEW.id;
  -- Delivered at commit, in commit order, to every instance's listener.
  PERFORM pg_notify('capreg_events', v_seq::text);
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER event_pending_chain AFTER INSERT ON "event_pending"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION capreg_chain_pending_event();
