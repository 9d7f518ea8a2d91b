// Shared by the sandbox-pool and host-API tests: a real local HTTP server, fixed DNS answers
// for fake domains (so allowed_domains can name them while the test server listens on
// 127.0.0.1, trusted through guardedFetch's test-only option), and installation rows for
// ctx.kv. Nothing here stands in for our own code: the pool, makeFetchHost, makeKvHost and
// guardedFetch under test are the real ones.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolveHost } from "../../../lib/execution/net/guarded-fetch";
import { newId } from "../../../lib/ids";
import type { TestDatabase } from "./db";
import { makeUser } from "./app";
import { codeManifest, publishVersion } from "./registry-factory";

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  port: number;
  hits: Hit[];
  /** `http://api.allowed.test:<port>` */
  base: string;
  close(): Promise<void>;
}

/** Routes: /echo (JSON of the request), /text, /big (2 MB), /slow (never answers), /status/<n>, /redirect?to=<url>. */
export async function startTestServer(): Promise<TestServer> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/echo") {
        res.writeHead(200, { "content-type": "application/json", "x-test": "yes" });
        return void res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      }
      if (url.pathname === "/text") {
        res.writeHead(200, { "content-type": "text/plain" });
        return void res.end("hello from the test server");
      }
      if (url.pathname === "/big") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.on("error", () => {});
        return void res.end(Buffer.alloc(2 * 1024 * 1024, 97));
      }
      if (url.pathname === "/slow") return; // never answers
      if (url.pathname.startsWith("/status/")) {
        res.writeHead(Number(url.pathname.slice(8)) || 500, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ status: url.pathname.slice(8) }));
      }
      if (url.pathname === "/redirect") {
        res.writeHead(302, { location: url.searchParams.get("to") ?? "/echo" });
        return void res.end();
      }
      res.writeHead(404);
      res.end("not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hits,
    base: `http://api.allowed.test:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Fixed DNS: the allowed test names point at the test server, one allowed name at a private address. */
export const TEST_DNS: Record<string, string> = {
  "api.allowed.test": "127.0.0.1",
  "second.allowed.test": "127.0.0.1",
  "not-allowed.test": "127.0.0.1",
  "private.allowed.test": "10.0.0.1",
  "metadata.allowed.test": "169.254.169.254",
  "v6private.allowed.test": "fd00::1",
};

export const testLookup: ResolveHost = async (name) => {
  const address = TEST_DNS[name.toLowerCase()];
  if (!address) throw new Error("ENOTFOUND");
  return [{ address, family: address.includes(":") ? 6 : 4 }];
};

/** The only loopback address the tests trust (the test server's). */
export const TRUSTED = ["127.0.0.1"] as const;

/** An installation row (with its user, capability version and agent) that kv_entries can point at. */
export async function makeInstallation(t: TestDatabase, grants: string[] = []): Promise<string> {
  const owner = await makeUser(t);
  const cap = await publishVersion(t, { owner, manifest: codeManifest() });
  const agent = await t.db.agent.create({ data: { id: newId("agt"), ownerId: owner.id, name: "kv test agent" }, select: { id: true } });
  const installation = await t.db.installation.create({
    data: { id: newId("ins"), agentId: agent.id, capabilityId: cap.capabilityId, versionId: cap.versionId, grantedPermissions: grants, installedById: owner.id },
    select: { id: true },
  });
  return installation.id;
}

/** A module whose action `go` has the given body. */
export function plugin(body: string): string {
  return `export default { actions: { async go(input, ctx) {\n${body}\n} } };`;
}
