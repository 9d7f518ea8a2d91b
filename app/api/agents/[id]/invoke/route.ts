// POST /api/agents/:id/invoke – run an installed action of the agent and answer its result
// (200 when it finished, whatever its status; 202 with a link while it is still queued or
// running; 202 with the approval when the policy asks a person first; 503 when no executor is alive). Every answer carries the x-correlation-id.
import { AgentParamsSchema } from "@/lib/agents/agent-schemas";
import { CORRELATION_HEADER, correlationIdFrom } from "@/lib/execution/invoke/correlation-id";
import { invokeAction } from "@/lib/execution/invoke/invoke-action";
import { InvokeBodySchema } from "@/lib/execution/invoke/invoke-schemas";
import { apiRoute, json } from "@/lib/http/api-route";
import { errorToResponse, problemResponse } from "@/lib/http/problem";

export const POST = apiRoute(
  { route: "/api/agents/:id/invoke", scopes: ["agents:invoke"], params: AgentParamsSchema, body: InvokeBodySchema },
  async ({ req, db, identity, params, body, requestId }) => {
    const correlationId = correlationIdFrom(req.headers);
    const headers = { [CORRELATION_HEADER]: correlationId };
    try {
      const r = await invokeAction(db, { agentId: params.id, identity, body, correlationId, signal: req.signal });
      if (r.kind === "finished") return json(r.body, { headers });
      if (r.kind === "pending") return json(r.body, { status: 202, headers: { ...headers, location: r.body.links.self } });
      // The policy asks a person first: 202 with the approval to poll (its result is the real output once approved).
      if (r.kind === "approval") return json(r.body, { status: 202, headers: { ...headers, location: r.body.links.self } });
      return problemResponse(
        { type: "https://capreg.dev/problems/unavailable", title: "Service unavailable", status: 503, detail: r.detail, code: "unavailable", requestId },
        { ...headers, "retry-after": String(r.retryAfterSeconds), "x-request-id": requestId },
      );
    } catch (err) {
      const res = errorToResponse(err, requestId);
      res.headers.set(CORRELATION_HEADER, correlationId);
      return res;
    }
  },
);
