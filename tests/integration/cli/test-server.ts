// A real HTTP server for the CLI's integration tests, started by the test in its own
// process: a small router that maps /api/** to the real route handlers (app/api/**/route.ts,
// the same modules `next start` serves) on a real socket, against the test's database. It
// needs no `next build` (minutes on a busy machine), so the CLI tests stay fast; what it
// skips is Next's own layer (proxy.ts security headers, pages). `restart()` closes every
// connection and listens again on the same port, as a server restart looks to a client.
import { readdirSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { CLIENT_IP_HEADER } from "../../../lib/http/client-ip";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

interface RouteEntry {
  file: string;
  segments: { kind: "static" | "param" | "catchAll"; value: string }[];
  module?: Promise<Record<string, unknown>>;
}

const ROOT = path.resolve(import.meta.dirname, "../../..");

function findRouteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findRouteFiles(p));
    else if (name === "route.ts") out.push(p);
  }
  return out;
}

function loadRoutes(): RouteEntry[] {
  const apiDir = path.join(ROOT, "app/api");
  const routes = findRouteFiles(apiDir).map((file) => {
    const rel = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
    const segments = rel.map((s) => {
      const catchAll = /^\[\.\.\.(.+)\]$/.exec(s);
      if (catchAll) return { kind: "catchAll" as const, value: catchAll[1]! };
      const param = /^\[(.+)\]$/.exec(s);
      if (param) return { kind: "param" as const, value: param[1]! };
      return { kind: "static" as const, value: s };
    });
    return { file, segments };
  });
  // Static segments win over parameters, parameters over catch-alls (as in Next's router).
  const rank = (r: RouteEntry) => r.segments.map((s) => (s.kind === "static" ? "0" : s.kind === "param" ? "1" : "2")).join("");
  return routes.sort((a, b) => rank(a).localeCompare(rank(b)));
}

function match(route: RouteEntry, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const s = route.segments[i]!;
    if (s.kind === "catchAll") {
      if (i >= parts.length) return null;
      params[s.value] = parts.slice(i);
      return params;
    }
    const p = parts[i];
    if (p === undefined) return null;
    if (s.kind === "static" && s.value !== p) return null;
    if (s.kind === "param") params[s.value] = p;
  }
  return parts.length === route.segments.length ? params : null;
}

export interface TestServer {
  url: string;
  port: number;
  /** Requests served so far (path and status), for assertions. */
  requests: { method: string; path: string; status: number }[];
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
}

export async function startTestServer(o: { port?: number } = {}): Promise<TestServer> {
  const routes = loadRoutes();
  const sockets = new Set<Socket>();
  const requests: TestServer["requests"] = [];

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    let found: { route: RouteEntry; params: Record<string, string | string[]> } | null = null;
    for (const route of routes) {
      const params = match(route, parts);
      if (params) {
        found = { route, params };
        break;
      }
    }
    const method = req.method ?? "GET";
    const mod = found ? await (found.route.module ??= import(found.route.file)) : null;
    const handler = mod?.[method] as Handler | undefined;
    if (!found || !handler) {
      res.writeHead(found ? 405 : 404, { "content-type": "application/problem+json" });
      res.end(JSON.stringify({ type: "about:blank", title: found ? "Method not allowed" : "Not found", status: found ? 405 : 404, detail: `${method} ${url.pathname}`, code: found ? "bad_request" : "not_found" }));
      requests.push({ method, path: url.pathname, status: found ? 405 : 404 });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    headers.set(CLIENT_IP_HEADER, req.socket.remoteAddress ?? "unknown");
    const request = new Request(url, {
      method,
      headers,
      body: chunks.length && method !== "GET" && method !== "HEAD" ? Buffer.concat(chunks) : undefined,
      signal: controller.signal,
    });
    const response = await handler(request, { params: Promise.resolve(found.params) });
    requests.push({ method, path: url.pathname, status: response.status });
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on("close", () => void reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
    } catch {
      // the client went away
    }
    res.end();
  };

  let server: http.Server | null = null;
  let port = o.port ?? 0;
  const start = async () => {
    server = http.createServer((req, res) => {
      handle(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      });
    });
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    if (!server) return;
    const s = server;
    server = null;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await start();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    requests,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}
