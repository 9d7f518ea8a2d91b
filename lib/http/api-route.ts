// The one wrapper every route handler goes through: request id, timing, authentication,
// CSRF origin check, scopes and role, body/query/params parsing with zod (every issue
// reported with its path), and error mapping to problem+json. Handlers stay a dozen lines.
import "server-only";
import type { z } from "zod";
import { getPrisma, type Db } from "../db/prisma";
import { getEnv } from "../env";
import { AppError, forbidden, unauthenticated } from "../errors";
import { authenticateRequest, isSameOrigin, type RequestIdentity } from "../auth/authenticate-request";
import type { Scope } from "../auth/scopes";
import { newId } from "../ids";
import { metrics } from "../metrics";
import { getClientIp } from "./client-ip";
import { errorToResponse, zodFieldErrors } from "./problem";
import { readJsonBody } from "./read-body";

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteOptions<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined> {
  /** Route pattern for metrics and logs, e.g. "/api/tokens/:id". */
  route: string;
  /** "required" (default): 401 without identity. "optional": identity may be null. "none": not checked. */
  auth?: "required" | "optional" | "none";
  scopes?: Scope[];
  /** At least one of these scopes (alternatives, e.g. a newer scope or the older one that covered it). */
  anyOfScopes?: Scope[];
  admin?: boolean;
  body?: B;
  query?: Q;
  params?: P;
}

export interface RouteContext<B, Q, P, I> {
  req: Request;
  db: Db;
  body: B;
  query: Q;
  params: P;
  identity: I;
  requestId: string;
  clientIp: string | null;
}

type Identity<O> = O extends { auth: "optional" | "none" } ? RequestIdentity | null : RequestIdentity;

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function parseWith<S extends Schema>(schema: S, value: unknown, where: string, code: "bad_request" | "validation_failed"): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError(code, `the ${where} is not valid`, { errors: zodFieldErrors(r.error.issues, where === "body" ? "" : where) });
  return r.data;
}

export function apiRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  O extends RouteOptions<B, Q, P> = RouteOptions<B, Q, P>,
>(options: O & RouteOptions<B, Q, P>, handler: (ctx: RouteContext<Out<B>, Out<Q>, Out<P>, Identity<O>>) => Promise<Response>) {
  return async (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const started = performance.now();
    const requestId = req.headers.get("x-request-id") ?? newId("req");
    let status = 500;
    try {
      const db = getPrisma();
      let identity: RequestIdentity | null = null;
      if (options.auth !== "none") {
        identity = await authenticateRequest(db, req.headers);
        if (!identity && options.auth !== "optional") throw unauthenticated();
      }
      if (identity?.via === "session" && STATE_CHANGING.has(req.method) && !isSameOrigin(req.headers, req.url, getEnv().APP_URL)) {
        throw forbidden("cross-origin request refused: a cookie-authenticated change must come from this site (send Origin) or use a bearer token");
      }
      if (identity && options.scopes) {
        const missing = options.scopes.filter((s) => !identity!.scopes.includes(s));
        if (missing.length) throw forbidden(`this needs the scope${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
      }
      if (identity && options.anyOfScopes && !options.anyOfScopes.some((s) => identity!.scopes.includes(s))) {
        throw forbidden(`this needs one of the scopes ${options.anyOfScopes.join(", ")}`);
      }
      if (options.admin && identity?.role !== "admin") throw forbidden("administrators only");
      const rawParams = await ctx.params;
      const params = options.params ? parseWith(options.params, rawParams, "params", "bad_request") : rawParams;
      const url = new URL(req.url);
      const query = options.query ? parseWith(options.query, Object.fromEntries(url.searchParams), "query", "bad_request") : undefined;
      let body: unknown = undefined;
      if (options.body) body = parseWith(options.body, await readJsonBody(req), "body", "validation_failed");
      const res = await handler({
        req,
        db,
        body: body as Out<B>,
        query: query as Out<Q>,
        params: params as Out<P>,
        identity: identity as Identity<O>,
        requestId,
        clientIp: getClientIp(req.headers),
      });
      res.headers.set("x-request-id", requestId);
      status = res.status;
      return res;
    } catch (err) {
      const res = errorToResponse(err, requestId);
      status = res.status;
      return res;
    } finally {
      metrics.httpDuration.observe({ method: req.method, route: options.route, status: String(status) }, (performance.now() - started) / 1000);
    }
  };
}

export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(data), {
    status: init.status ?? 200,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...init.headers },
  });
}
