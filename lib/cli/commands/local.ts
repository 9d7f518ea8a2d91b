// capreg init / validate / discover: work on local capability folders only. They never run
// the code they read; discover asks the server (when logged in) only for published hashes.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import type { ApiClient } from "../api-client";
import { CliError, EXIT, usageError } from "../cli-error";
import type { Command } from "../command";
import { findManifests } from "../discover-manifests";
import { formatFieldErrors, table } from "../format";
import { readLocalCapability, resolveManifestPath } from "../local-capability";
import { str } from "../parse-args";
import { readPublishState } from "../publish-state";
import { INIT_TYPES, scaffold, slugFromName, type InitType } from "../scaffold";
import { SLUG_PATTERN } from "../../registry/manifest-schema";

export const init: Command = {
  name: "init",
  summary: "scaffold a capability folder (manifest, source, an example test case)",
  usage: "capreg init [dir] [--type code|declarative|api-connector|workflow] [--slug <slug>] [--force]",
  description: [
    "Writes capability.yaml (and index.js for code: the manifest names it with `source_file: index.js`,",
    "and capreg inlines it into `source` before validating, testing or publishing) and a README.",
    "The manifest's `examples` (action, input, expected_output) are the test cases `capreg test` runs.",
  ],
  options: {
    type: { type: "string", short: "t", valueName: "type", description: `one of ${INIT_TYPES.join(", ")} (default code)` },
    slug: { type: "string", valueName: "slug", description: "the capability's slug (default: from the folder's name)" },
    force: { type: "boolean", description: "write into a folder that is not empty (existing files are overwritten)" },
  },
  positionals: { min: 0, max: 1 },
  examples: ["capreg init text-stats --type code", "capreg init weather --type declarative"],
  async run({ io, out, args }) {
    const type = (str(args.values.type) ?? "code") as InitType;
    if (!INIT_TYPES.includes(type)) throw usageError(`--type ${type}: expected one of ${INIT_TYPES.join(", ")}`);
    const dir = path.resolve(io.cwd, args.positionals[0] ?? ".");
    const slug = str(args.values.slug) ?? slugFromName(path.basename(dir));
    if (!SLUG_PATTERN.test(slug)) throw usageError(`--slug ${slug}: use 1–64 lowercase letters, digits and dashes`);
    if (existsSync(dir) && readdirSync(dir).length && !args.values.force) {
      throw new CliError(EXIT.failure, `${dir} is not empty`, { hint: "choose a new folder (capreg init my-capability) or add --force" });
    }
    mkdirSync(dir, { recursive: true });
    const files = scaffold(type, slug);
    for (const f of files) writeFileSync(path.join(dir, f.path), f.content);
    const rel = path.relative(io.cwd, dir) || ".";
    out.result({ dir, slug, type, files: files.map((f) => f.path) }, [
      `Created a ${type} capability "${slug}" in ${rel}:`,
      ...files.map((f) => `  ${f.path}`),
      "",
      "Next:",
      ...(rel === "." ? [] : [`  cd ${rel}`]),
      "  capreg validate",
      "  capreg test",
      "  capreg publish",
    ]);
    return EXIT.ok;
  },
};

export const validate: Command = {
  name: "validate",
  summary: "check a manifest locally and print every error with its path",
  usage: "capreg validate [path]",
  description: ["Runs the registry's own validator offline (nothing is executed). Exit 1 when there are errors."],
  options: {},
  positionals: { min: 0, max: 1 },
  examples: ["capreg validate", "capreg validate ./weather/capability.yaml --json"],
  async run({ io, out, args }) {
    const cap = readLocalCapability(resolveManifestPath(io.cwd, args.positionals[0]));
    const r = cap.report;
    const rel = path.relative(io.cwd, cap.manifestPath) || cap.manifestPath;
    out.result(
      {
        path: cap.manifestPath,
        valid: r.valid,
        errors: r.errors,
        warnings: r.warnings,
        ...(r.manifest ? { slug: r.manifest.slug, version: r.manifest.version, type: r.manifest.type, contentHash: r.contentHash, risk: r.risk } : {}),
        ...(cap.sourceFile ? { sourceFile: cap.sourceFile } : {}),
      },
      r.valid
        ? [
            `✓ ${rel}: ${r.manifest!.slug} ${r.manifest!.version} (${r.manifest!.type}) is valid`,
            `  content hash ${r.contentHash}`,
            ...(r.warnings.length ? ["  warnings:", ...formatFieldErrors(r.warnings, "    ")] : []),
          ]
        : [`✗ ${rel}: ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}`, ...formatFieldErrors(r.errors)],
    );
    return r.valid ? EXIT.ok : EXIT.failure;
  },
};

type Status = "published" | "changed" | "unpublished" | "invalid" | "unknown";

interface Found {
  path: string;
  slug: string | null;
  version: string | null;
  valid: boolean;
  errors: { path: string; message: string }[];
  contentHash: string | null;
  status: Status;
  published: { version: string; contentHash: string; source: "server" | "local-state" } | null;
}

async function remoteLatest(client: ApiClient, slug: string): Promise<{ version: string; contentHash: string } | null> {
  const res = await client.get<{ items: { version: string; contentHash: string }[] }>(`/api/capabilities/${encodeURIComponent(slug)}/versions`, { query: { limit: 200 }, accept: [404] });
  if (res.status === 404) return null;
  const items = res.body.items.filter((v) => semver.valid(v.version));
  items.sort((a, b) => semver.rcompare(a.version, b.version));
  return items[0] ?? null;
}

export const discover: Command = {
  name: "discover",
  summary: "find capability manifests below folders, with validation status and content hash",
  usage: "capreg discover [roots…] [--offline]",
  description: [
    "Walks the folders (default: the current one) for capability.yaml / capability.yml / capability.json,",
    "skipping node_modules and dot folders (.git…), following each symlinked folder once. Never executes anything.",
    "\"changed\" means the content hash differs from the last published version: the server's (when logged in)",
    "or, offline, the one `capreg publish` recorded in the folder's .capreg/state.json.",
    "Exit 1 when a manifest is invalid.",
  ],
  options: { offline: { type: "boolean", description: "do not ask the server; compare with .capreg/state.json only" } },
  positionals: { min: 0, max: 100 },
  examples: ["capreg discover", "capreg discover ~/capabilities --json"],
  async run({ io, out, args, optionalClient }) {
    const roots = (args.positionals.length ? args.positionals : ["."]).map((r) => path.resolve(io.cwd, r));
    for (const r of roots) if (!existsSync(r)) throw new CliError(EXIT.notFound, `${r}: no such folder`);
    const files = findManifests(roots, { onSkip: (d, why) => out.warn(`skipped ${d}: ${why}`) });
    const client = args.values.offline ? null : optionalClient();
    if (files.length > 5) out.progress(`found ${files.length} manifests; validating${client ? " and comparing with the server" : ""}`);
    const found: Found[] = [];
    let remoteFailed = false;
    for (const file of files) {
      const cap = readLocalCapability(file);
      const m = cap.report.manifest;
      const f: Found = {
        path: file,
        slug: m?.slug ?? null,
        version: m?.version ?? null,
        valid: cap.report.valid,
        errors: cap.report.errors,
        contentHash: cap.report.contentHash ?? null,
        status: cap.report.valid ? "unknown" : "invalid",
        published: null,
      };
      if (m && cap.report.contentHash) {
        if (client && !remoteFailed) {
          try {
            const latest = await remoteLatest(client, m.slug);
            f.published = latest ? { ...latest, source: "server" } : null;
            f.status = !latest ? "unpublished" : latest.contentHash === cap.report.contentHash ? "published" : "changed";
          } catch (err) {
            if (!(err instanceof CliError) || err.exitCode === EXIT.failure) throw err;
            // Offline or logged out: fall back to the local record for the rest.
            remoteFailed = true;
            out.warn(`${err.message}; comparing with .capreg/state.json instead`);
          }
        }
        if (f.status === "unknown") {
          const state = Object.values(readPublishState(cap.dir)).find((s) => s.slug === m.slug);
          if (state) {
            f.published = { version: state.version, contentHash: state.contentHash, source: "local-state" };
            f.status = state.contentHash === cap.report.contentHash ? "published" : "changed";
          } else f.status = "unpublished";
        }
      }
      found.push(f);
    }
    const invalid = found.filter((f) => !f.valid).length;
    const human = found.length
      ? [
          ...table(
            found.map((f) => [path.relative(io.cwd, f.path) || f.path, f.slug ?? "-", f.version ?? "-", f.valid ? "valid" : `INVALID (${f.errors.length})`, f.status, f.contentHash ? f.contentHash.slice(0, 19) : "-"]),
            ["PATH", "SLUG", "VERSION", "VALIDATION", "STATUS", "CONTENT HASH"],
          ),
          ...found.filter((f) => !f.valid).flatMap((f) => [``, `${path.relative(io.cwd, f.path)}:`, ...formatFieldErrors(f.errors)]),
        ]
      : [`No capability manifests below ${roots.map((r) => path.relative(io.cwd, r) || ".").join(", ")}.`, "Create one with `capreg init <dir>`."];
    out.result({ roots, items: found, invalid }, human);
    return invalid ? EXIT.failure : EXIT.ok;
  },
};
