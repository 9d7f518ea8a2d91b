// GET /api/tasks/:id – one task (its creator, the snippet's owner, admins; 404 for anyone else)
import { apiRoute, json } from "@/lib/http/api-route";
import { getTask } from "@/lib/tasks/get-task";
import { TaskParamsSchema } from "@/lib/tasks/task-schemas";

export const GET = apiRoute({ anyOfScopes: ["snippets:read", "capabilities:read"], route: "/api/tasks/:id", params: TaskParamsSchema }, async ({ db, identity, params }) =>
  json(await getTask(db, { caller: identity, taskId: params.id })),
);
