-- CreateTable
CREATE TABLE "capability_drafts" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "slug" TEXT,
    "method" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "capability_drafts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "capability_drafts_owner_id_updated_at_idx" ON "capability_drafts"("owner_id", "updated_at");

-- CreateIndex
CREATE INDEX "capability_drafts_owner_id_slug_idx" ON "capability_drafts"("owner_id", "slug");
