// One PostgreSQL for the whole integration run: the server named by TEST_DATABASE_URL /
// DATABASE_URL (a superuser connection), or an embedded one in a temporary directory.
// Each test file then creates its own database on it (see ./db.ts). Also builds the
// preview runtime (.runtime/) when it is missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../../lib/db/embedded-postgres";

let embedded: EmbeddedDatabase | undefined;
let dir: string | undefined;

/** The preview runtime bundles (.runtime/), built once when missing (tests read its manifest). */
function buildPreviewRuntimeIfMissing() {
  const root = path.resolve(import.meta.dirname, "../../..");
  if (existsSync(path.join(root, ".runtime", "manifest.json"))) return;
  const r = spawnSync(process.execPath, [path.join(root, "scripts/build-preview-runtime.mjs"), "--quiet"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("building the preview runtime failed");
}

export default async function setup(project: TestProject) {
  buildPreviewRuntimeIfMissing();
  let url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    dir = mkdtempSync(path.join(os.tmpdir(), "capreg-it-"));
    process.env.DATA_DIR = dir;
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: Number(process.env.TEST_PG_PORT ?? 55432) });
    url = embedded.url;
  }
  project.provide("adminDatabaseUrl", url);
  return async () => {
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
