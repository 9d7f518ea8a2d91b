// Test factory for the agents tests: inserts Capability + CapabilityVersion rows straight
// from a manifest validated by validateManifest (the registry's own publishing code is
// not needed), and a small client for the /api/agents routes.
import semver from "semver";
import { newId } from "../../../lib/ids";
import { validateManifest } from "../../../lib/registry/parse-manifest";
import type { TestDatabase } from "./db";
import { call, ORIGIN, sessionCookie } from "./app";

export interface PublishOptions {
  owner: { id: string };
  manifest: Record<string, unknown>;
  status?: "published" | "deprecated" | "yanked";
  /** Applies to the version and, when the capability is created, to the capability. */
  visibility?: "private" | "public";
  reviewState?: "not_required" | "in_review" | "approved" | "rejected";
  /** Per-action permissions written into the stored manifest (the schema has no such field yet). */
  actionPermissions?: Record<string, string[]>;
}

/** Publishes one version (creating the capability on its first version). */
export async function publishVersion(t: TestDatabase, o: PublishOptions): Promise<{ capabilityId: string; versionId: string; slug: string; version: string }> {
  const report = validateManifest(o.manifest);
  if (!report.valid || !report.manifest) throw new Error(`test manifest is invalid: ${JSON.stringify(report.errors)}`);
  const m = report.manifest;
  const visibility = o.visibility ?? "public";
  let cap = await t.db.capability.findUnique({ where: { slug: m.slug }, select: { id: true } });
  cap ??= await t.db.capability.create({
    data: { id: newId("cap"), slug: m.slug, ownerId: o.owner.id, name: m.name, icon: m.icon, category: m.category, tags: m.tags, type: m.type, risk: report.risk!, visibility, description: m.description },
    select: { id: true },
  });
  const stored = o.actionPermissions ? { ...m, actions: m.actions.map((a) => (o.actionPermissions![a.id] ? { ...a, permissions: o.actionPermissions![a.id] } : a)) } : m;
  const v = semver.parse(m.version)!;
  const versionId = newId("ver");
  await t.db.capabilityVersion.create({
    data: {
      id: versionId,
      capabilityId: cap.id,
      version: m.version,
      major: v.major,
      minor: v.minor,
      patch: v.patch,
      prerelease: v.prerelease.join("."),
      manifest: stored as object,
      contentHash: report.contentHash!,
      permissions: m.permissions,
      risk: report.risk!,
      securityReport: { verdict: "clean" },
      visibility,
      status: o.status ?? "published",
      reviewState: o.reviewState ?? (visibility === "public" ? "approved" : "not_required"),
      publishedById: o.owner.id,
    },
  });
  return { capabilityId: cap.id, versionId, slug: m.slug, version: m.version };
}

export async function setVersionStatus(t: TestDatabase, slug: string, version: string, status: "published" | "deprecated" | "yanked"): Promise<void> {
  const cap = await t.db.capability.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  await t.db.capabilityVersion.update({ where: { capabilityId_version: { capabilityId: cap.id, version } }, data: { status } });
}

let seq = 0;
/** A small `code` capability manifest; override any field. */
export function codeManifest(over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: "code",
    slug: `cap-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    name: `Capability ${seq}`,
    version: "1.0.0",
    category: "utilities",
    source: "export async function run(input) { return input; }",
    actions: [{ id: "run", name: "Run" }],
    permissions: [],
    ...over,
  };
}

// ---- A client for the agents routes, driving the real handlers in-process ----

export async function loadAgentRoutes() {
  return {
    agents: await import("../../../app/api/agents/route"),
    agent: await import("../../../app/api/agents/[id]/route"),
    installations: await import("../../../app/api/agents/[id]/installations/route"),
    installation: await import("../../../app/api/agents/[id]/installations/[installationId]/route"),
  };
}
export type AgentRoutes = Awaited<ReturnType<typeof loadAgentRoutes>>;

/** Cookie session headers of a user (with the same-origin header state changes need). */
export async function asUser(user: { id: string; email: string; role: string }): Promise<Record<string, string>> {
  return { cookie: await sessionCookie(user), origin: ORIGIN };
}

export function agentsClient(routes: AgentRoutes, headers: Record<string, string>) {
  const ins = (agentId: string) => `/api/agents/${agentId}/installations`;
  return {
    createAgent: (json: unknown) => call(routes.agents.POST, { method: "POST", path: "/api/agents", headers, json }),
    listAgents: (query = "") => call(routes.agents.GET, { path: `/api/agents${query}`, headers }),
    getAgent: (id: string) => call(routes.agent.GET, { path: `/api/agents/${id}`, headers, params: { id } }),
    patchAgent: (id: string, json: unknown) => call(routes.agent.PATCH, { method: "PATCH", path: `/api/agents/${id}`, headers, json, params: { id } }),
    install: (agentId: string, json: unknown) => call(routes.installations.POST, { method: "POST", path: ins(agentId), headers, json, params: { id: agentId } }),
    listInstallations: (agentId: string, query = "") => call(routes.installations.GET, { path: `${ins(agentId)}${query}`, headers, params: { id: agentId } }),
    patchInstallation: (agentId: string, installationId: string, json: unknown) =>
      call(routes.installation.PATCH, { method: "PATCH", path: `${ins(agentId)}/${installationId}`, headers, json, params: { id: agentId, installationId } }),
    uninstall: (agentId: string, installationId: string) =>
      call(routes.installation.DELETE, { method: "DELETE", path: `${ins(agentId)}/${installationId}`, headers, params: { id: agentId, installationId } }),
  };
}
export type AgentsClient = ReturnType<typeof agentsClient>;

/** Creates an agent through the API and returns its id. */
export async function makeAgent(client: AgentsClient, name = "Test agent"): Promise<string> {
  const res = await client.createAgent({ name });
  if (res.status !== 201) throw new Error(`creating an agent failed: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/** Events of one subject, oldest first. */
export async function eventsOf(t: TestDatabase, subjectId: string): Promise<{ type: string; data: Record<string, unknown>; correlation_id: string; actor_id: string | null }[]> {
  return t.db.$queryRawUnsafe(`SELECT type, data, correlation_id, actor_id FROM events WHERE subject_id = $1 ORDER BY seq`, subjectId);
}
