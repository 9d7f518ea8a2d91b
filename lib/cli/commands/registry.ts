// capreg test / publish / search / info: a local capability against the server, and the
// marketplace. `test` runs the local, unpublished files in the server's sandbox through the
// draft test endpoint (POST /api/capabilities/test); `publish` creates the capability when
// it is new, else publishes a version, refusing locally a version that is not higher.
import path from "node:path";
import semver from "semver";
import type { ApiClient } from "../api-client";
import { CliError, EXIT, usageError } from "../cli-error";
import type { Command } from "../command";
import { prettyJson, table } from "../format";
import { readJsonArg } from "../input-arg";
import { readLocalCapability, requireValidCapability, resolveManifestPath } from "../local-capability";
import { parseKeyValues, str } from "../parse-args";
import { writePublishRecord } from "../publish-state";
import { readAllStdin, readSecretArgs } from "../secret-args";

interface TestResponse {
  ok: boolean;
  output?: unknown;
  error?: { code: string; message: string; line?: number; column?: number };
  logs: string[];
  resources: { wallMs: number; networkCalls: number; cpuMs?: number; heapBytes?: number };
  expected?: unknown;
  matchesExpected?: boolean;
  steps?: Record<string, { status: string; output?: unknown; error?: { code: string; message: string } }>;
  failedStep?: string;
}

interface CaseResult {
  name: string;
  action: string;
  example?: number;
  passed: boolean;
  response: TestResponse;
}

const secretOptions = {
  secret: { type: "string", multiple: true, valueName: "KEY=@file", description: "a secret from a file (KEY=@path) or stdin (KEY=@-); repeatable" },
  "allow-argv-secrets": { type: "boolean", description: "allow --secret KEY=value (it lands in shell history and ps)" },
} as const;

export const test: Command = {
  name: "test",
  summary: "run the capability's examples (or --input) in the server's sandbox against the local files",
  usage: "capreg test [path] [--action <id>] [--input <json|@file|@->] [--config k=v] [--secret k=@file]",
  description: [
    "Sends the local manifest (source inlined) to POST /api/capabilities/test; nothing is published or stored.",
    "Without --input, every example of the manifest is a test case; expected_output is compared by the server.",
    "Shows output, logs and resources per case. Exit 1 on any failure or mismatch with an expected output.",
  ],
  options: {
    action: { type: "string", short: "a", valueName: "id", description: "only this action (with --input: the action to run)" },
    input: { type: "string", short: "i", valueName: "json", description: "run this input instead of the examples (JSON, @file or @-)" },
    config: { type: "string", multiple: true, valueName: "k=v", description: "a configuration value; repeatable" },
    ...secretOptions,
  },
  positionals: { min: 0, max: 1 },
  examples: ["capreg test", "capreg test ./text-stats --action stats --input '{\"text\":\"a b c\"}'"],
  async run({ io, out, args, client }) {
    const cap = requireValidCapability(readLocalCapability(resolveManifestPath(io.cwd, args.positionals[0])));
    const manifest = cap.report.manifest;
    const config = parseKeyValues(args.values.config as string[] | undefined, "config");
    const secrets = await readSecretArgs(args.values.secret as string[] | undefined, { cwd: io.cwd, allowArgv: Boolean(args.values["allow-argv-secrets"]), readStdin: () => readAllStdin(io.stdin) });
    const actionIds = manifest.actions.map((a) => a.id);
    const only = str(args.values.action);
    if (only && !actionIds.includes(only)) throw usageError(`--action ${only}: the manifest has ${actionIds.join(", ") || "no actions"}`);

    const cases: { name: string; action: string; example?: number; input?: Record<string, unknown> }[] = [];
    const inputArg = str(args.values.input);
    if (inputArg !== undefined) {
      const action = only ?? (actionIds.length === 1 ? actionIds[0] : undefined);
      if (!action) throw usageError(`--input needs --action: the manifest has ${actionIds.join(", ")}`);
      cases.push({ name: "--input", action, input: await readJsonArg(inputArg, io) });
    } else {
      manifest.examples.forEach((e, i) => {
        const action = e.action ?? actionIds[0];
        if (!action || (only && action !== only)) return;
        cases.push({ name: e.name ?? `example ${i + 1}`, action, example: i });
      });
      if (!cases.length) {
        throw new CliError(EXIT.failure, `${manifest.slug} has no examples${only ? ` for ${only}` : ""} to run`, {
          hint: "add examples (action, input, expected_output) to the manifest, or pass --input '{…}'",
        });
      }
    }

    const api = client();
    const results: CaseResult[] = [];
    for (const [i, c] of cases.entries()) {
      out.progress(`running ${c.name} (${i + 1}/${cases.length}) in the sandbox`);
      const body = {
        manifest: cap.document,
        action: c.action,
        ...(c.example !== undefined ? { example: c.example } : { input: c.input }),
        ...(Object.keys(config).length ? { config } : {}),
        ...(Object.keys(secrets).length ? { secrets } : {}),
      };
      const res = await api.post<TestResponse>("/api/capabilities/test", body).catch((err: unknown) => {
        if (err instanceof CliError && err.exitCode === EXIT.notFound) {
          throw new CliError(EXIT.failure, `${api.baseUrl} has no draft test endpoint (POST /api/capabilities/test)`, { hint: "upgrade the server, or publish privately and use the try button" });
        }
        throw err;
      });
      const r = res.body;
      const passed = r.ok && r.matchesExpected !== false;
      results.push({ name: c.name, action: c.action, ...(c.example !== undefined ? { example: c.example } : {}), passed, response: r });
      if (!out.json) printCase(out.line.bind(out), { name: c.name, action: c.action, passed, response: r }, cap.sourceFile);
    }
    const failed = results.filter((r) => !r.passed).length;
    out.result({ slug: manifest.slug, version: manifest.version, passed: results.length - failed, failed, cases: results }, failed ? `${failed} of ${results.length} failed` : `all ${results.length} passed`);
    return failed ? EXIT.failure : EXIT.ok;
  },
};

function printCase(line: (s: string) => void, c: Omit<CaseResult, "example">, sourceFile?: string) {
  const r = c.response;
  line(`${c.passed ? "✓" : "✗"} ${c.name} (${c.action})  ${Math.round(r.resources.wallMs)} ms, ${r.resources.networkCalls} network call${r.resources.networkCalls === 1 ? "" : "s"}${r.resources.heapBytes ? `, ${Math.round(r.resources.heapBytes / 1024)} KB heap` : ""}`);
  if (r.ok) line(`  output:\n${prettyJson(r.output, "    ")}`);
  if (r.error) {
    const where = r.error.line ? ` at ${sourceFile ?? "source"}:${r.error.line}${r.error.column ? `:${r.error.column}` : ""}` : "";
    line(`  error: ${r.error.code}: ${r.error.message}${where}`);
  }
  if (r.steps) line(`  steps: ${Object.entries(r.steps).map(([id, st]) => `${id} ${st.status}${st.error ? ` (${st.error.code}: ${st.error.message})` : ""}`).join(", ")}`);
  if (r.failedStep) line(`  failed step: ${r.failedStep}`);
  if (r.matchesExpected === false) line(`  expected:\n${prettyJson(r.expected, "    ")}`);
  if (r.logs.length) line(`  logs:\n${r.logs.map((l) => `    ${l}`).join("\n")}`);
}

interface VersionRecord {
  id: string;
  version: string;
  visibility: string;
  reviewState: string;
  contentHash: string;
  risk: string;
  permissions: string[];
  securityReport: { verdict: string; findings: { severity: string; code: string; message: string; location?: string }[]; analysis: string; permissions: { unused: string[]; usedWithoutPermission: string[] } };
  approval?: { approvalId: string; status: string; reasons: string[]; expiresAt: string; links: { self: string } };
}

async function listAllVersions(api: ApiClient, slug: string): Promise<{ version: string; contentHash: string }[] | null> {
  const items: { version: string; contentHash: string }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await api.get<{ items: { version: string; contentHash: string }[]; nextCursor: string | null }>(`/api/capabilities/${encodeURIComponent(slug)}/versions`, { query: { limit: 200, cursor }, accept: [404] });
    if (res.status === 404) return null;
    items.push(...res.body.items);
    if (!res.body.nextCursor) return items;
    cursor = res.body.nextCursor;
  }
}

export const publish: Command = {
  name: "publish",
  summary: "publish the local capability as a new version (creating it when new)",
  usage: "capreg publish [path] [--public] [-m <changelog>]",
  description: [
    "Validates locally, refuses (before any request) a version that is not higher than the latest published one,",
    "creates the capability when the slug is new, and publishes the version in the manifest.",
    "Prints the content hash and the security report. --public sends the version to review: an admin approves it.",
    "Records what was published in the folder's .capreg/state.json (used by `capreg discover`).",
  ],
  options: {
    public: { type: "boolean", description: "publish to the marketplace (waits for an admin's review)" },
    message: { type: "string", short: "m", valueName: "text", description: "the changelog (default: \"Version X\")" },
  },
  positionals: { min: 0, max: 1 },
  examples: ["capreg publish -m 'Counts characters too'", "capreg publish ./weather --public"],
  async run({ io, out, args, client }) {
    const cap = requireValidCapability(readLocalCapability(resolveManifestPath(io.cwd, args.positionals[0])));
    const m = cap.report.manifest;
    const api = client();
    out.progress(`checking ${m.slug} on ${api.baseUrl}`);
    const versions = await listAllVersions(api, m.slug);
    const highest = versions?.map((v) => v.version).filter((v) => semver.valid(v)).sort(semver.rcompare)[0];
    if (highest && !semver.gt(m.version, highest)) {
      throw new CliError(EXIT.failure, `version ${m.version} is not higher than the latest published version ${highest}`, {
        hint: `set version: ${semver.inc(highest, "patch")} (or higher) in ${path.relative(io.cwd, cap.manifestPath) || cap.manifestFile}`,
      });
    }
    let created = false;
    if (versions === null) {
      out.progress(`creating ${m.slug}`);
      await api.post("/api/capabilities", { manifest: cap.document });
      created = true;
    }
    out.progress(`publishing ${m.slug} ${m.version}${args.values.public ? " (public)" : ""}`);
    const res = await api.post<VersionRecord>(`/api/capabilities/${encodeURIComponent(m.slug)}/versions`, {
      manifest: cap.document,
      changelog: str(args.values.message) ?? `Version ${m.version}`,
      visibility: args.values.public ? "public" : "private",
    });
    const v = res.body;
    if (v.contentHash !== cap.report.contentHash) out.warn(`the server's content hash ${v.contentHash} differs from the local ${cap.report.contentHash}`);
    writePublishRecord(cap.dir, api.baseUrl, { slug: m.slug, version: v.version, contentHash: v.contentHash, publishedAt: new Date().toISOString() });
    const r = v.securityReport;
    const approvalLink = v.approval ? api.link(`/approvals?id=${v.approval.approvalId}`) : null;
    out.result(
      { slug: m.slug, created, status: res.status, version: v, ...(approvalLink ? { approvalUrl: approvalLink } : {}) },
      [
        `${created ? "Created and published" : "Published"} ${m.slug} ${v.version} (${v.visibility}${v.reviewState === "in_review" ? ", in review" : ""})`,
        `  content hash  ${v.contentHash}`,
        `  risk          ${v.risk}; permissions: ${v.permissions.join(", ") || "none"}`,
        `  security      ${r.verdict} (analysis: ${r.analysis})`,
        ...r.findings.map((f) => `    ${f.severity.padEnd(7)} ${f.code}: ${f.message}${f.location ? ` (${f.location})` : ""}`),
        ...(r.permissions.unused.length ? [`    requested but not used: ${r.permissions.unused.join(", ")}`] : []),
        ...(v.approval
          ? [``, `Waiting for review: approval ${v.approval.approvalId} (${v.approval.reasons.join("; ")})`, `  ${approvalLink}`, `  expires ${v.approval.expiresAt}`]
          : []),
      ],
    );
    return EXIT.ok;
  },
};

interface Card {
  slug: string;
  name: string;
  summary?: string;
  type: string;
  latestVersion?: string | null;
  risk?: string;
  installs?: number;
}

export const search: Command = {
  name: "search",
  summary: "search the marketplace",
  usage: "capreg search <query> [--type <t>] [--category <c>] [--limit <n>]",
  options: {
    type: { type: "string", valueName: "type", description: "declarative, api-connector, code, workflow (comma-separated)" },
    category: { type: "string", valueName: "category", description: "a category (comma-separated)" },
    limit: { type: "string", valueName: "n", description: "how many (default 20, max 200)" },
  },
  positionals: { min: 1, max: 1 },
  examples: ["capreg search weather", "capreg search text --type code --json"],
  async run({ out, args, client }) {
    const res = await client().get<{ items: Card[] }>("/api/capabilities", {
      query: { q: args.positionals[0], type: str(args.values.type), category: str(args.values.category), limit: str(args.values.limit) ?? 20 },
    });
    const items = res.body.items;
    out.result(
      res.body,
      items.length
        ? table(
            items.map((c) => [c.slug, c.latestVersion ?? "-", c.type, c.risk ?? "-", c.summary ?? c.name]),
            ["SLUG", "VERSION", "TYPE", "RISK", "SUMMARY"],
          )
        : `Nothing matches ${JSON.stringify(args.positionals[0])}.`,
    );
    return EXIT.ok;
  },
};

export const info: Command = {
  name: "info",
  summary: "show a capability: versions, actions, permissions, configuration",
  usage: "capreg info <slug>[@version]",
  options: {},
  positionals: { min: 1, max: 1 },
  examples: ["capreg info weather-lookup", "capreg info text-stats@1.0.0 --json"],
  async run({ out, args, client }) {
    const [slug, version] = args.positionals[0]!.split("@");
    const res = await client().get<{
      slug: string;
      name: string;
      type: string;
      description: string;
      latestVersion: string | null;
      version: { version: string; contentHash?: string } | null;
      actions: { id: string; inputs: { name: string; type: string; required: boolean }[] }[];
      permissions: { name: string; risk?: string }[];
      configuration: { key: string; type: string; required: boolean }[];
      versions: { version: string; status: string; visibility: string; reviewState: string; contentHash: string; publishedAt: string }[];
      securityReport: { verdict: string } | null;
    }>(`/api/capabilities/${encodeURIComponent(slug!)}`, { query: { version } });
    const d = res.body;
    out.result(d, [
      `${d.name} (${d.slug}) · ${d.type} · latest ${d.latestVersion ?? "none"}`,
      ...(d.description ? [d.description] : []),
      "",
      "Actions:",
      ...d.actions.map((a) => `  ${d.slug}.${a.id}(${a.inputs.map((i) => `${i.name}${i.required ? "" : "?"}: ${i.type}`).join(", ")})`),
      `Permissions: ${d.permissions.map((p) => p.name).join(", ") || "none"}`,
      ...(d.configuration.length ? [`Configuration: ${d.configuration.map((c) => `${c.key} (${c.type}${c.required ? ", required" : ""})`).join(", ")}`] : []),
      ...(d.securityReport ? [`Security report: ${d.securityReport.verdict}`] : []),
      "",
      "Versions:",
      ...table(d.versions.map((v) => ["  " + v.version, v.status, v.visibility, v.reviewState, v.contentHash.slice(0, 19), v.publishedAt.slice(0, 10)])),
    ]);
    return EXIT.ok;
  },
};

