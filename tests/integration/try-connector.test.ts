// The connector executor against a real local HTTP server: auth kinds (api_key in query,
// bearer, basic, oauth2 client credentials), retries with Retry-After for idempotent
// methods only, error mapping. Loopback is reachable only through the test-only hooks.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { runConnector, type ConnectorRequest } from "../../lib/execution/connectors/run-connector";
import { readTestHosts, readTestTrustedAddresses } from "../../lib/execution/try/types";
import { ManifestSchema, type Manifest } from "../../lib/registry/manifest-schema";

let server: http.Server;
let port = 0;
let hits: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.setHeader("content-type", "application/json");
      if (req.url === "/oauth/token") {
        const form = new URLSearchParams(body);
        if (form.get("client_secret") !== "cs-secret-1234") return void res.writeHead(401).end("{}");
        return void res.end(JSON.stringify({ access_token: "at-from-token-endpoint", token_type: "bearer" }));
      }
      if (req.url?.startsWith("/flaky") && failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(503, { "retry-after": "0" });
        return void res.end(JSON.stringify({ error: "busy" }));
      }
      res.end(JSON.stringify({ ok: true, path: req.url, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits = [];
  failuresLeft = 0;
});

function connector(auth: Record<string, unknown>, endpoints: Record<string, unknown>[]): Manifest {
  return ManifestSchema.parse({
    type: "api-connector",
    slug: "try-connector",
    name: "Try connector",
    version: "1.0.0",
    allowed_domains: ["api.conn.test"],
    api: { base_url: `http://api.conn.test:${port}`, auth },
    endpoints,
  });
}

const base = (manifest: Manifest, action: string, extra: Partial<ConnectorRequest> = {}): ConnectorRequest => ({
  manifest,
  action,
  input: {},
  config: {},
  secrets: {},
  timeoutMs: 10_000,
  testOnlyHosts: { "api.conn.test": "127.0.0.1" },
  testOnlyTrustedAddresses: ["127.0.0.1"],
  ...extra,
});

describe("connector executor", () => {
  test("api_key in the query, path rendered from input, response mapped", async () => {
    const m = connector({ type: "api_key", in: "query", name: "key", value_from: "API_KEY" }, [
      { id: "get", path: "/items/${input.id}", inputs: [{ name: "id", type: "string" }], response_mapping: { where: "path" } },
    ]);
    const r = await runConnector(base(m, "get", { input: { id: "a b" }, secrets: { API_KEY: "k-123456" } }));
    expect(r).toMatchObject({ ok: true, output: { where: "/items/a%20b?key=k-123456" }, resources: { networkCalls: 1 } });
  });

  test("bearer and basic auth headers", async () => {
    const bearer = await runConnector(base(connector({ type: "bearer" }, [{ id: "get", path: "/x" }]), "get", { secrets: { API_TOKEN: "tok-abcdef" } }));
    expect(bearer).toMatchObject({ ok: true, output: { auth: "Bearer tok-abcdef" } });
    const basic = await runConnector(base(connector({ type: "basic" }, [{ id: "get", path: "/x" }]), "get", { config: { USERNAME: "ann" }, secrets: { PASSWORD: "pw-secret" } }));
    expect(basic).toMatchObject({ ok: true, output: { auth: `Basic ${Buffer.from("ann:pw-secret").toString("base64")}` } });
    const missing = await runConnector(base(connector({ type: "bearer" }, [{ id: "get", path: "/x" }]), "get"));
    expect(missing).toMatchObject({ ok: false, error: { code: "missing_secret" }, resources: { networkCalls: 0 } });
  });

  test("oauth2 client credentials: token endpoint first, then bearer", async () => {
    const m = connector({ type: "oauth2", token_url: `http://api.conn.test:${port}/oauth/token`, scopes: ["read"] }, [{ id: "get", path: "/data" }]);
    const r = await runConnector(base(m, "get", { secrets: { CLIENT_ID: "cid", CLIENT_SECRET: "cs-secret-1234" } }));
    expect(r).toMatchObject({ ok: true, output: { auth: "Bearer at-from-token-endpoint" }, resources: { networkCalls: 2 } });
    expect(hits[0]).toMatchObject({ method: "POST", url: "/oauth/token" });
    expect(new URLSearchParams(hits[0]!.body).get("grant_type")).toBe("client_credentials");
    const bad = await runConnector(base(m, "get", { secrets: { CLIENT_ID: "cid", CLIENT_SECRET: "wrong-secret" } }));
    expect(bad).toMatchObject({ ok: false, error: { code: "auth_failed" } });
  });

  test("GET is retried on 503 honouring Retry-After (max 2 retries); POST is not", async () => {
    const m = connector({ type: "none" }, [
      { id: "read", path: "/flaky" },
      { id: "write", method: "POST", path: "/flaky", body: { a: 1 } },
    ]);
    failuresLeft = 2;
    expect(await runConnector(base(m, "read"))).toMatchObject({ ok: true, resources: { networkCalls: 3 } });
    failuresLeft = 5;
    expect(await runConnector(base(m, "read"))).toMatchObject({ ok: false, error: { code: "http_error" }, resources: { networkCalls: 3 } });
    failuresLeft = 1;
    expect(await runConnector(base(m, "write"))).toMatchObject({ ok: false, error: { code: "http_error" }, resources: { networkCalls: 1 } });
    expect(hits.at(-1)).toMatchObject({ method: "POST", body: '{"a":1}' });
  });

  test("loopback is refused without the test-only hooks, and domains outside allowed_domains too", async () => {
    const m = connector({ type: "none" }, [{ id: "get", path: "/x" }]);
    const noTrust = await runConnector(base(m, "get", { testOnlyTrustedAddresses: undefined }));
    expect(noTrust).toMatchObject({ ok: false, error: { code: "blocked_address" } });
    const other = ManifestSchema.parse({ ...m, allowed_domains: ["elsewhere.test"] });
    expect(await runConnector(base(other, "get"))).toMatchObject({ ok: false, error: { code: "domain_not_allowed" } });
    expect(hits).toHaveLength(0);
  });

  test("the test-only hooks are read from the env only under tests", () => {
    const env = { CAPREG_TRY_TEST_HOSTS: "a.test=127.0.0.1", CAPREG_TRY_TEST_TRUSTED_ADDRESSES: "127.0.0.1" } as unknown as NodeJS.ProcessEnv;
    expect(readTestHosts({ ...env, NODE_ENV: "production" })).toBeUndefined();
    expect(readTestTrustedAddresses({ ...env, NODE_ENV: "production" })).toBeUndefined();
    expect(readTestHosts({ ...env, VITEST: "true" })).toEqual({ "a.test": "127.0.0.1" });
    expect(readTestTrustedAddresses({ ...env, NODE_ENV: "test" })).toEqual(["127.0.0.1"]);
  });
});
