-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('private', 'public');

-- CreateEnum
CREATE TYPE "VersionStatus" AS ENUM ('published', 'deprecated', 'yanked');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('not_required', 'in_review', 'approved', 'rejected');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "is_verified_publisher" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "capabilities" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "icon" TEXT NOT NULL DEFAULT '🧩',
    "category" TEXT NOT NULL,
    "tags" TEXT[],
    "type" TEXT NOT NULL,
    "risk" TEXT NOT NULL DEFAULT 'low',
    "visibility" "Visibility" NOT NULL DEFAULT 'private',
    "is_builtin" BOOLEAN NOT NULL DEFAULT false,
    "draft_manifest" JSONB,
    "draft_updated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "capabilities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "capability_versions" (
    "id" TEXT NOT NULL,
    "capability_id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "minor" INTEGER NOT NULL,
    "patch" INTEGER NOT NULL,
    "prerelease" TEXT NOT NULL DEFAULT '',
    "manifest" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "changelog" TEXT NOT NULL DEFAULT '',
    "permissions" TEXT[],
    "risk" TEXT NOT NULL,
    "security_report" JSONB NOT NULL,
    "visibility" "Visibility" NOT NULL,
    "status" "VersionStatus" NOT NULL DEFAULT 'published',
    "review_state" "ReviewState" NOT NULL DEFAULT 'not_required',
    "review_comment" TEXT,
    "reviewed_by_id" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "published_by_id" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "capability_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reviews" (
    "id" TEXT NOT NULL,
    "capability_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installations" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "capability_id" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "granted_permissions" TEXT[],
    "config" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "pending_version_id" TEXT,
    "previous_version_id" TEXT,
    "required_by_id" TEXT,
    "installed_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "installations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installation_secrets" (
    "installation_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "installation_secrets_pkey" PRIMARY KEY ("installation_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "capabilities_slug_key" ON "capabilities"("slug");

-- CreateIndex
CREATE INDEX "capabilities_owner_id_idx" ON "capabilities"("owner_id");

-- CreateIndex
CREATE INDEX "capabilities_category_idx" ON "capabilities"("category");

-- CreateIndex
CREATE INDEX "capability_versions_capability_id_major_minor_patch_idx" ON "capability_versions"("capability_id", "major", "minor", "patch");

-- CreateIndex
CREATE UNIQUE INDEX "capability_versions_capability_id_version_key" ON "capability_versions"("capability_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "reviews_capability_id_user_id_key" ON "reviews"("capability_id", "user_id");

-- CreateIndex
CREATE INDEX "agents_owner_id_idx" ON "agents"("owner_id");

-- CreateIndex
CREATE INDEX "installations_capability_id_idx" ON "installations"("capability_id");

-- CreateIndex
CREATE UNIQUE INDEX "installations_agent_id_capability_id_key" ON "installations"("agent_id", "capability_id");

-- AddForeignKey
ALTER TABLE "capabilities" ADD CONSTRAINT "capabilities_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "capability_versions" ADD CONSTRAINT "capability_versions_capability_id_fkey" FOREIGN KEY ("capability_id") REFERENCES "capabilities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_capability_id_fkey" FOREIGN KEY ("capability_id") REFERENCES "capabilities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agents" ADD CONSTRAINT "agents_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installations" ADD CONSTRAINT "installations_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installations" ADD CONSTRAINT "installations_capability_id_fkey" FOREIGN KEY ("capability_id") REFERENCES "capabilities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installations" ADD CONSTRAINT "installations_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "capability_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "installation_secrets" ADD CONSTRAINT "installation_secrets_installation_id_fkey" FOREIGN KEY ("installation_id") REFERENCES "installations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------
-- Hand-written below: what Prisma's schema language cannot express.
-- ---------------------------------------------------------------------------

-- Search that forgives typos: full text over name, summary, tags and description, plus
-- trigram similarity on the name and slug.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION capreg_capability_document(p_name TEXT, p_slug TEXT, p_summary TEXT, p_tags TEXT[], p_description TEXT)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(p_name, '') || ' ' || replace(coalesce(p_slug, ''), '-', ' ')), 'A')
      || setweight(to_tsvector('simple', coalesce(array_to_string(p_tags, ' '), '')), 'B')
      || setweight(to_tsvector('english', coalesce(p_summary, '')), 'B')
      || setweight(to_tsvector('english', left(coalesce(p_description, ''), 20000)), 'C')
$$;

CREATE INDEX capabilities_search_document ON "capabilities"
  USING GIN (capreg_capability_document("name", "slug", "summary", "tags", "description"));
CREATE INDEX capabilities_search_name_trgm ON "capabilities" USING GIN (lower("name") gin_trgm_ops);
CREATE INDEX capabilities_search_slug_trgm ON "capabilities" USING GIN (lower("slug") gin_trgm_ops);

-- A published version is frozen: its content can never change, only its status and review.
CREATE FUNCTION capreg_freeze_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version IS DISTINCT FROM OLD.version OR NEW.manifest IS DISTINCT FROM OLD.manifest
     OR NEW.content_hash IS DISTINCT FROM OLD.content_hash OR NEW.capability_id IS DISTINCT FROM OLD.capability_id
     OR NEW.permissions IS DISTINCT FROM OLD.permissions OR NEW.changelog IS DISTINCT FROM OLD.changelog
     OR NEW.published_at IS DISTINCT FROM OLD.published_at THEN
    RAISE EXCEPTION 'capability version % is immutable once published', OLD.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER capability_versions_frozen BEFORE UPDATE ON "capability_versions"
  FOR EACH ROW EXECUTE FUNCTION capreg_freeze_version();
