-- CreateTable
CREATE TABLE "executions" (
    "id" TEXT NOT NULL,
    "parent_id" TEXT,
    "step_id" TEXT,
    "agent_id" TEXT NOT NULL,
    "installation_id" TEXT,
    "capability_id" TEXT,
    "version_id" TEXT,
    "capability_slug" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "input" JSONB NOT NULL DEFAULT '{}',
    "output" JSONB,
    "logs" JSONB NOT NULL DEFAULT '[]',
    "resources" JSONB NOT NULL DEFAULT '{}',
    "requests" JSONB NOT NULL DEFAULT '[]',
    "error_code" TEXT,
    "error" JSONB,
    "correlation_id" TEXT NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "token_id" TEXT,
    "timeout_ms" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_token" TEXT,
    "leased_by" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,

    CONSTRAINT "executions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kv_entries" (
    "installation_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "bytes" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "kv_entries_pkey" PRIMARY KEY ("installation_id","key")
);

-- CreateTable
CREATE TABLE "executors" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "slots" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "pool_size" INTEGER NOT NULL DEFAULT 0,
    "running" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "executors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "executions_status_created_at_idx" ON "executions"("status", "created_at");

-- CreateIndex
CREATE INDEX "executions_agent_id_created_at_idx" ON "executions"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "executions_capability_id_created_at_idx" ON "executions"("capability_id", "created_at");

-- CreateIndex
CREATE INDEX "executions_parent_id_idx" ON "executions"("parent_id");

-- CreateIndex
CREATE INDEX "executions_correlation_id_idx" ON "executions"("correlation_id");

-- CreateIndex
CREATE INDEX "executors_heartbeat_at_idx" ON "executors"("heartbeat_at");

-- AddForeignKey
ALTER TABLE "kv_entries" ADD CONSTRAINT "kv_entries_installation_id_fkey" FOREIGN KEY ("installation_id") REFERENCES "installations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
