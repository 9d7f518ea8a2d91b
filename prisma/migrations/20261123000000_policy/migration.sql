-- CreateTable
CREATE TABLE "approvals" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "held" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "requester_type" TEXT NOT NULL,
    "requester_id" TEXT,
    "requester_user_id" TEXT,
    "requester_role" TEXT,
    "agent_id" TEXT,
    "capability_id" TEXT,
    "capability_slug" TEXT,
    "version" TEXT,
    "action" TEXT,
    "security_level" TEXT NOT NULL,
    "risk" TEXT NOT NULL,
    "approver" TEXT NOT NULL,
    "reason_code" TEXT NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "rule_id" TEXT,
    "request" JSONB NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "correlation_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by_id" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decision_comment" TEXT,
    "execution_id" TEXT,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_rule_sets" (
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "source" TEXT,
    "comment" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_rule_sets_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE UNIQUE INDEX "approvals_execution_id_key" ON "approvals"("execution_id");

-- CreateIndex
CREATE INDEX "approvals_status_created_at_idx" ON "approvals"("status", "created_at");

-- CreateIndex
CREATE INDEX "approvals_agent_id_capability_slug_action_kind_status_idx" ON "approvals"("agent_id", "capability_slug", "action", "kind", "status");

-- CreateIndex
CREATE INDEX "approvals_requester_user_id_created_at_idx" ON "approvals"("requester_user_id", "created_at");

-- CreateIndex
CREATE INDEX "approvals_correlation_id_idx" ON "approvals"("correlation_id");
