// GET /api/snippets/:id/tasks – the tasks made from a snippet · POST /api/snippets/:id/tasks { title?, autoRun? } – make a task
// (201 { task } when an org rule allows it; 202 + Location with the pending approval — the default, task
// materialization is high risk; 403 policy_denied; 404 for a deleted snippet or someone else's)
import { toCaller } from "@/lib/agents/agent-access";
import { apiRoute, json } from "@/lib/http/api-route";
import { listSnippetTasks } from "@/lib/tasks/list-snippet-tasks";
import { materializeTask } from "@/lib/tasks/materialize-task";
import { ListTasksQuerySchema, MaterializeTaskSchema, SnippetParamsSchema } from "@/lib/tasks/task-schemas";

export const GET = apiRoute(
  { anyOfScopes: ["snippets:read", "capabilities:read"], route: "/api/snippets/:id/tasks", params: SnippetParamsSchema, query: ListTasksQuerySchema },
  async ({ db, identity, params, query }) => json(await listSnippetTasks(db, { caller: identity, snippetId: params.id, query })),
);

export const POST = apiRoute(
  { anyOfScopes: ["snippets:write", "capabilities:write"], route: "/api/snippets/:id/tasks", params: SnippetParamsSchema, body: MaterializeTaskSchema },
  async ({ db, identity, params, body, requestId }) => {
    const auth = { via: identity.via, tokenId: identity.via === "token" ? (identity.tokenId ?? null) : null };
    const r = await materializeTask(db, { caller: toCaller(identity, requestId), snippetId: params.id, input: body, auth });
    if (r.kind === "pending") return json(r.approval, { status: 202, headers: { location: r.approval.links.self } });
    return json({ task: r.task }, { status: 201, headers: { location: r.task.links.self } });
  },
);
