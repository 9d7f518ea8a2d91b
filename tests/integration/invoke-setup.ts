// Shared set-up of the invoke-*.test.ts files (not a test file itself): a fresh database,
// the real route handlers, and a real executor started in this process with
// startExecutor (isolates need --no-node-snapshot, which the integration project passes).
// Capabilities are inserted with the registry factory and installed through the real API.
import { closeExecutionWaiter } from "../../lib/execution/queue/await-execution";
import { startExecutor } from "../../lib/execution/executor/executor";
import { resetEnvCache } from "../../lib/env";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
// Aliased: it is not a React hook, whatever its name says to the linter.
import { call, makeUser, useAppDatabase as bindAppDatabase, ORIGIN } from "./helpers/app";
import { agentsClient, asUser, loadAgentRoutes, makeAgent, publishVersion, type AgentsClient, type AgentRoutes } from "./helpers/registry-factory";
import { installedId } from "./policy-install-approve";

export type Executor = Awaited<ReturnType<typeof startExecutor>>;
export type User = Awaited<ReturnType<typeof makeUser>>;

export interface InvokeWorld {
  t: TestDatabase;
  routes: AgentRoutes;
  invokeRoute: typeof import("../../app/api/agents/[id]/invoke/route");
  owner: User;
  ownerApi: AgentsClient;
  ownerHeaders: Record<string, string>;
  executors: Executor[];
  startExecutor(slots?: number): Promise<Executor>;
  close(): Promise<void>;
}

/** Sets env (before anything reads it), the database, the routes and `executors` executors. */
export async function setUpInvokeWorld(o: { env?: Record<string, string>; executors?: number; slots?: number } = {}): Promise<InvokeWorld> {
  for (const [k, v] of Object.entries(o.env ?? {})) process.env[k] = v;
  const t = await createTestDatabase();
  bindAppDatabase(t);
  resetEnvCache();
  const routes = await loadAgentRoutes();
  const invokeRoute = await import("../../app/api/agents/[id]/invoke/route");
  const owner = await makeUser(t);
  const ownerHeaders = await asUser(owner);
  const ownerApi = agentsClient(routes, ownerHeaders);
  const executors: Executor[] = [];
  const world: InvokeWorld = {
    t,
    routes,
    invokeRoute,
    owner,
    ownerApi,
    ownerHeaders,
    executors,
    async startExecutor(slots = o.slots ?? 2) {
      const e = await startExecutor({ db: t.db, slots, leaseMs: 15_000 });
      executors.push(e);
      return e;
    },
    async close() {
      for (const e of executors.splice(0)) await e.stop();
      await closeExecutionWaiter();
      await t.drop();
    },
  };
  for (let i = 0; i < (o.executors ?? 1); i++) await world.startExecutor();
  return world;
}

/** Publishes a capability and installs it on a new (or given) agent of the owner, through the API (approving it when the policy asks). */
export async function installCapability(
  w: InvokeWorld,
  manifest: Record<string, unknown>,
  o: { grants?: string[]; config?: Record<string, unknown>; secrets?: Record<string, string>; agentId?: string; headers?: Record<string, string>; user?: User } = {},
): Promise<{ agentId: string; installationId: string; slug: string; capabilityId: string; versionId: string }> {
  const user = o.user ?? w.owner;
  const api = o.headers ? agentsClient(w.routes, o.headers) : w.ownerApi;
  const cap = await publishVersion(w.t, { owner: user, manifest });
  const agentId = o.agentId ?? (await makeAgent(api));
  const res = await api.install(agentId, { capability: cap.slug, grantedPermissions: o.grants ?? [], config: o.config ?? {}, secrets: o.secrets ?? {} });
  // High-risk grants wait for an approval (the policy gate): approved here by an admin.
  const installationId = await installedId(w.t, res);
  return { agentId, installationId, slug: cap.slug, capabilityId: cap.capabilityId, versionId: cap.versionId };
}

/** POST /api/agents/:id/invoke through the real handler; the body parsed. */
export async function invoke(w: InvokeWorld, agentId: string, headers: Record<string, string>, json: unknown): Promise<{ status: number; body: any; headers: Headers; ms: number }> {
  const t0 = performance.now();
  const res = await call(w.invokeRoute.POST, { method: "POST", path: `/api/agents/${agentId}/invoke`, headers, json, params: { id: agentId } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers, ms: performance.now() - t0 };
}

/** A code capability manifest with one or more actions (each `{ id, body, inputs?, outputs? }`). */
export function codeCapability(
  slug: string,
  actions: { id: string; body: string; inputs?: unknown[]; outputs?: unknown[] }[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const source = `export default {\n  actions: {\n${actions.map((a) => `    async ${a.id}(input, ctx) {\n${a.body}\n    },`).join("\n")}\n  },\n};\n`;
  return {
    type: "code",
    slug,
    name: slug,
    version: "1.0.0",
    category: "utilities",
    permissions: ["compute.light"],
    source,
    actions: actions.map((a) => ({ id: a.id, name: a.id, inputs: a.inputs ?? [], outputs: a.outputs ?? [] })),
    ...extra,
  };
}

let n = 0;
export const uniqueSlug = (base: string) => `${base}-${++n}-${Math.random().toString(36).slice(2, 7)}`;

export { ORIGIN };
