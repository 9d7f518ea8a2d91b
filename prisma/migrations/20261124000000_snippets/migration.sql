-- CreateTable
CREATE TABLE "snippets" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "owner_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "snippets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "preview_sessions" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "snippet_id" TEXT,
    "snippet_version" INTEGER,
    "preset" TEXT NOT NULL,
    "source_kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "deps" JSONB NOT NULL DEFAULT '[]',
    "share_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "share_revoked_at" TIMESTAMPTZ(3),
    "opened_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "preview_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL,
    "snippet_id" TEXT NOT NULL,
    "snippet_version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'materialized',
    "auto_run" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT,
    "approval_id" TEXT,
    "input" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "snippets_owner_id_updated_at_idx" ON "snippets"("owner_id", "updated_at");

-- CreateIndex
CREATE INDEX "preview_sessions_snippet_id_created_at_idx" ON "preview_sessions"("snippet_id", "created_at");

-- CreateIndex
CREATE INDEX "preview_sessions_owner_id_created_at_idx" ON "preview_sessions"("owner_id", "created_at");

-- CreateIndex
CREATE INDEX "tasks_snippet_id_created_at_idx" ON "tasks"("snippet_id", "created_at");

-- Full-text search over a snippet's title, tags and code (code capped, so a huge paste
-- does not blow up the index; punctuation split, so THREE.OrbitControls finds OrbitControls).
CREATE FUNCTION capreg_snippet_document(p_title TEXT, p_tags TEXT[], p_code TEXT)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(p_title, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(array_to_string(p_tags, ' '), '')), 'B')
      || setweight(to_tsvector('simple', regexp_replace(left(coalesce(p_code, ''), 100000), '[^[:alnum:]_]+', ' ', 'g')), 'C')
$$;

CREATE INDEX snippets_search_document ON "snippets" USING GIN (capreg_snippet_document("title", "tags", "code"));
CREATE INDEX snippets_search_title_trgm ON "snippets" USING GIN (lower("title") gin_trgm_ops);
