// The standard capabilities the product ships (from the seed architecture): code_asset
// (MEDIUM), preview (MEDIUM) and task_materialization (HIGH), as `builtin` manifests, and
// their idempotent registration: published 1.0.0, public and approved, owned by the given
// user (the admin the seed creates), with their events written like any other publish.
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import type { Actor } from "../events/append-event";
import { insertCapability } from "./create-capability";
import type { Manifest, ManifestInput } from "./manifest-schema";
import { validateManifest } from "./parse-manifest";
import { publishVersionInTransaction } from "./publish-version";

const author = "Capability Registry";

export const BUILTIN_MANIFESTS: ManifestInput[] = [
  {
    type: "builtin",
    slug: "code-asset",
    name: "Code Assets",
    icon: "📄",
    version: "1.0.0",
    author,
    category: "developer",
    risk: "medium",
    summary: "Save, update, find and delete the code snippets an agent writes.",
    description:
      "Keeps code an agent produces as versioned snippets: each save records the language and a title, updates keep the history, and snippets can be searched by text or language and opened in a live preview.",
    tags: ["code", "snippets", "storage", "builtin"],
    permissions: ["data.read", "data.write", "data.delete"],
    actions: [
      {
        id: "save_snippet",
        name: "Save snippet",
        description: "Store a new code snippet.",
        inputs: [
          { name: "title", type: "string", required: true, description: "A short name for the snippet" },
          { name: "language", type: "string", required: true, description: "e.g. javascript, python, html" },
          { name: "code", type: "string", required: true },
          { name: "tags", type: "array" },
        ],
        outputs: [
          { name: "snippet_id", type: "string" },
          { name: "version", type: "integer" },
        ],
      },
      {
        id: "update_snippet",
        name: "Update snippet",
        description: "Replace a snippet's code, keeping the previous version.",
        inputs: [
          { name: "snippet_id", type: "string", required: true },
          { name: "code", type: "string", required: true },
          { name: "title", type: "string" },
        ],
        outputs: [{ name: "version", type: "integer" }],
      },
      {
        id: "get_snippet",
        name: "Get snippet",
        inputs: [{ name: "snippet_id", type: "string", required: true }],
        outputs: [
          { name: "title", type: "string" },
          { name: "language", type: "string" },
          { name: "code", type: "string" },
          { name: "updated_at", type: "string" },
        ],
      },
      {
        id: "search_snippets",
        name: "Search snippets",
        inputs: [
          { name: "query", type: "string", required: true },
          { name: "language", type: "string" },
        ],
        outputs: [{ name: "results", type: "array" }],
      },
      {
        id: "delete_snippet",
        name: "Delete snippet",
        inputs: [{ name: "snippet_id", type: "string", required: true }],
        outputs: [{ name: "deleted", type: "boolean" }],
      },
    ],
    examples: [{ action: "save_snippet", name: "Save a function", input: { title: "Add", language: "javascript", code: "const add = (a, b) => a + b;" } }],
  },
  {
    type: "builtin",
    slug: "preview",
    name: "Live Preview",
    icon: "🖼️",
    version: "1.0.0",
    author,
    category: "developer",
    risk: "medium",
    summary: "Render HTML, charts and 3D scenes in a sandboxed preview with the libraries they need.",
    description:
      "Creates a preview session for a snippet: picks a runtime preset (html-basic, three-webgl-umd, chartjs-umd, d3-umd), detects the library files the code uses and serves it in a sandboxed frame with a strict content security policy.",
    tags: ["preview", "html", "charts", "3d", "builtin"],
    permissions: ["compute.light", "file.temporary"],
    actions: [
      {
        id: "create_preview",
        name: "Create preview",
        description: "Open a sandboxed preview of some code.",
        inputs: [
          { name: "code", type: "string", required: true },
          { name: "preset", type: "string", required: true, enum: ["html-basic", "three-webgl-umd", "chartjs-umd", "d3-umd"] },
          { name: "title", type: "string" },
        ],
        outputs: [
          { name: "preview_id", type: "string" },
          { name: "url", type: "string" },
          { name: "dependencies", type: "array" },
        ],
      },
      {
        id: "detect_dependencies",
        name: "Detect dependencies",
        description: "List the library files a preset would inject for this code.",
        inputs: [
          { name: "code", type: "string", required: true },
          { name: "preset", type: "string", required: true, enum: ["html-basic", "three-webgl-umd", "chartjs-umd", "d3-umd"] },
        ],
        outputs: [{ name: "dependencies", type: "array" }],
      },
    ],
    examples: [
      {
        action: "detect_dependencies",
        name: "Orbit controls are detected",
        input: { preset: "three-webgl-umd", code: "const controls = new THREE.OrbitControls(camera);" },
        expected_output: { dependencies: ["three-core", "three-orbit-controls"] },
      },
    ],
  },
  {
    type: "builtin",
    slug: "task-materialization",
    name: "Task Materialization",
    icon: "✅",
    version: "1.0.0",
    author,
    category: "productivity",
    risk: "high",
    summary: "Turn a plan from the conversation into tracked tasks and keep their status.",
    description:
      "Reads the plan agreed in the conversation and creates tasks from it, each with a title, description and order, then tracks their status. It reads the conversation, so it is high risk: grant it only to agents you trust with that history.",
    tags: ["tasks", "planning", "builtin"],
    permissions: ["context.conversation", "data.read", "data.write"],
    actions: [
      {
        id: "materialize_tasks",
        name: "Materialize tasks",
        description: "Create tasks from a plan.",
        inputs: [
          { name: "plan", type: "string", required: true, description: "The plan, as text or a list" },
          { name: "project", type: "string" },
        ],
        outputs: [
          { name: "tasks", type: "array" },
          { name: "created", type: "integer" },
        ],
      },
      {
        id: "update_task_status",
        name: "Update task status",
        inputs: [
          { name: "task_id", type: "string", required: true },
          { name: "status", type: "string", required: true, enum: ["todo", "in_progress", "done", "blocked"] },
        ],
        outputs: [{ name: "task", type: "object" }],
      },
    ],
    examples: [{ action: "materialize_tasks", name: "A two-step plan", input: { plan: "1. Draft the report\n2. Send it to Ana" } }],
  },
];

const SYSTEM: Actor = { type: "system", id: null };

/**
 * Registers and publishes one capability the product ships (a built-in or a seed catalog
 * entry), public and approved, in one transaction. Returns false when it already exists.
 */
export async function publishShippedCapability(
  db: Db,
  options: { manifest: Manifest; ownerId: string; isBuiltin: boolean; changelog: string },
): Promise<boolean> {
  const { manifest, ownerId } = options;
  if (await db.capability.findUnique({ where: { slug: manifest.slug }, select: { id: true } })) return false;
  try {
    await db.$transaction(async (tx) => {
      await insertCapability(tx, { ownerId, actor: SYSTEM, manifest, via: "seed", isBuiltin: options.isBuiltin });
      await publishVersionInTransaction(tx, {
        slug: manifest.slug,
        viewer: { userId: ownerId, role: "member" },
        actor: SYSTEM,
        input: { changelog: options.changelog, visibility: "public" },
        preApproved: true,
        manifest: null,
      });
    });
    return true;
  } catch (err) {
    // Another instance registered it at the same moment.
    if (err instanceof AppError && err.code === "conflict") return false;
    throw err;
  }
}

/** Registers the built-ins that are missing; returns the slugs it created. Safe to run on every start. */
export async function ensureBuiltinCapabilities(db: Db, ownerId: string): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const input of BUILTIN_MANIFESTS) {
    const report = validateManifest(input);
    if (!report.valid || !report.manifest) throw new Error(`built-in ${String(input.slug)} is not valid: ${JSON.stringify(report.errors)}`);
    const isNew = await publishShippedCapability(db, { manifest: report.manifest, ownerId, isBuiltin: true, changelog: "Built-in capability." });
    (isNew ? created : existing).push(report.manifest.slug);
  }
  return { created, existing };
}
