// guardedFetch against a real HTTP server on 127.0.0.1. Loopback is refused by design, so
// the test trusts exactly 127.0.0.1 through the test-only option; every other private
// address (10/8, 127.0.0.2, ::1) stays refused, which is what the redirect tests rely on.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { guardedFetch, type GuardedFetchOptions, type ResolveHost } from "../../lib/execution/net/guarded-fetch";

let server: http.Server;
let port = 0;
const lookups: string[] = [];

const dns: Record<string, string> = {
  "allowed.test": "127.0.0.1",
  "second.allowed.test": "127.0.0.1",
  "other.test": "127.0.0.1",
  "private.allowed.test": "10.0.0.1", // allowed by name, private by address
};
const resolver: ResolveHost = async (name) => {
  lookups.push(name);
  const address = dns[name];
  if (!address) throw new Error("ENOTFOUND");
  return [{ address, family: 4 }];
};

function options(extra: Partial<GuardedFetchOptions> = {}): GuardedFetchOptions {
  return { allowedDomains: ["allowed.test", "*.allowed.test"], lookup: resolver, testOnlyTrustedAddresses: ["127.0.0.1"], timeoutMs: 2000, ...extra };
}
const base = () => `http://allowed.test:${port}`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const redirect = (location: string, status = 302) => {
      res.writeHead(status, { location });
      res.end();
    };
    switch (url.pathname) {
      case "/echo": {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }));
        });
        return;
      }
      case "/to-private":
        return redirect(`http://private.allowed.test:${port}/echo`);
      case "/to-loopback-literal":
        return redirect(`http://127.0.0.2:${port}/echo`);
      case "/to-v6-loopback":
        return redirect(`http://[::1]:${port}/echo`);
      case "/to-decimal":
        return redirect(`http://167772161:${port}/echo`); // 10.0.0.1
      case "/to-other":
        return redirect(`http://other.test:${port}/echo`);
      case "/to-file":
        return redirect("file:///etc/passwd");
      case "/to-second":
        return redirect(`http://second.allowed.test:${port}/echo`, 307);
      case "/see-other":
        return redirect("/echo", 303);
      case "/chain": {
        const n = Number(url.searchParams.get("n") ?? "0");
        if (n <= 0) return redirect("/echo");
        return redirect(`/chain?n=${n - 1}`);
      }
      case "/big": {
        res.writeHead(200, { "content-type": "text/plain" });
        const chunk = Buffer.alloc(64 * 1024, 97);
        let sent = 0;
        const pump = () => {
          while (sent < 4 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("error", () => {});
        return pump();
      }
      case "/big-declared":
        res.writeHead(200, { "content-length": String(2 * 1024 * 1024) });
        return res.end(Buffer.alloc(2 * 1024 * 1024));
      case "/slow":
        return; // never answers
      case "/slow-body":
        res.writeHead(200);
        res.write("start");
        return; // never ends
      default:
        res.writeHead(404);
        res.end("nope");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("guardedFetch against a local server", () => {
  test("fetches from an allowed host, pinned to the vetted address, with the original Host header", async () => {
    lookups.length = 0;
    const res = await guardedFetch(`${base()}/echo?q=1`, { headers: { accept: "application/json" } }, options());
    expect(res.status).toBe(200);
    expect(res.redirects).toBe(0);
    expect(res.url).toBe(`${base()}/echo?q=1`);
    const echoed = JSON.parse(res.body as string);
    expect(echoed.method).toBe("GET");
    expect(echoed.headers.host).toBe(`allowed.test:${port}`);
    expect(lookups).toEqual(["allowed.test"]); // resolved once, by us
  });

  test("DNS rebinding: the connection uses the vetted answer, the name is never resolved again", async () => {
    let calls = 0;
    // First answer passes the check; any later resolution would point at a private address.
    const rebinding: ResolveHost = async () => [{ address: calls++ === 0 ? "127.0.0.1" : "10.0.0.1", family: 4 }];
    const res = await guardedFetch(`${base()}/echo`, {}, options({ lookup: rebinding }));
    expect(res.status).toBe(200);
    expect(calls).toBe(1);
  });

  test("POST sends the body; a 303 turns into a GET without it", async () => {
    const res = await guardedFetch(`${base()}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }, options());
    expect(JSON.parse(res.body as string)).toMatchObject({ method: "POST", body: '{"a":1}' });
    const seeOther = await guardedFetch(`${base()}/see-other`, { method: "POST", body: "x" }, options());
    expect(seeOther.redirects).toBe(1);
    expect(JSON.parse(seeOther.body as string)).toMatchObject({ method: "GET", body: "" });
  });

  test("follows up to 3 redirects and refuses the 4th", async () => {
    const ok = await guardedFetch(`${base()}/chain?n=2`, {}, options());
    expect(ok.status).toBe(200);
    expect(ok.redirects).toBe(3);
    await expect(guardedFetch(`${base()}/chain?n=3`, {}, options())).rejects.toMatchObject({ code: "too_many_redirects" });
    await expect(guardedFetch(`${base()}/chain?n=0`, {}, options({ maxRedirects: 0 }))).rejects.toMatchObject({ code: "too_many_redirects" });
  });

  test.each(["/to-private", "/to-loopback-literal", "/to-v6-loopback", "/to-decimal"])("a redirect from the allowed host to a private address (%s) is refused", async (path) => {
    await expect(guardedFetch(`${base()}${path}`, {}, options())).rejects.toMatchObject({ code: "blocked_address" });
  });

  test("a redirect to a domain outside allowed_domains is refused", async () => {
    await expect(guardedFetch(`${base()}/to-other`, {}, options())).rejects.toMatchObject({ code: "domain_not_allowed" });
  });

  test("a redirect to another scheme is refused", async () => {
    await expect(guardedFetch(`${base()}/to-file`, {}, options())).rejects.toMatchObject({ code: "bad_url" });
  });

  test("a cross-origin redirect keeps the method but drops credentials", async () => {
    const res = await guardedFetch(
      `${base()}/to-second`,
      { method: "POST", headers: { authorization: "Bearer sk_live_SECRET", "x-api-key": "k", accept: "text/plain", "content-type": "text/plain" }, body: "payload" },
      options(),
    );
    const echoed = JSON.parse(res.body as string);
    expect(echoed.method).toBe("POST");
    expect(echoed.body).toBe("payload");
    expect(echoed.headers.host).toBe(`second.allowed.test:${port}`);
    expect(echoed.headers.authorization).toBeUndefined();
    expect(echoed.headers["x-api-key"]).toBeUndefined();
    expect(echoed.headers.accept).toBe("text/plain");
  });

  test("a streamed response over the cap is aborted", async () => {
    await expect(guardedFetch(`${base()}/big`, {}, options())).rejects.toMatchObject({ code: "response_too_large" });
    const small = guardedFetch(`${base()}/big`, {}, options({ maxResponseBytes: 1000 }));
    await expect(small).rejects.toThrow(/exceeds 1000 bytes/);
  });

  test("a declared Content-Length over the cap is refused before reading", async () => {
    await expect(guardedFetch(`${base()}/big-declared`, {}, options())).rejects.toMatchObject({ code: "response_too_large" });
  });

  test("the timeout covers waiting for headers and for the body", async () => {
    const started = Date.now();
    await expect(guardedFetch(`${base()}/slow`, {}, options({ timeoutMs: 300 }))).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(guardedFetch(`${base()}/slow-body`, {}, options({ timeoutMs: 300 }))).rejects.toMatchObject({ code: "timeout" });
  });

  test("a slow resolver counts against the timeout", async () => {
    const stuck: ResolveHost = () => new Promise(() => {});
    await expect(guardedFetch(`${base()}/echo`, {}, options({ lookup: stuck, timeoutMs: 200 }))).rejects.toMatchObject({ code: "timeout" });
  });

  test("returns a Buffer when asked", async () => {
    const res = await guardedFetch(`${base()}/nothing`, {}, options({ responseType: "buffer" }));
    expect(res.status).toBe(404);
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect(res.body.toString()).toBe("nope");
  });
});

describe("guardedFetch over TLS", () => {
  test("sends the host name as SNI and verifies the certificate (a self-signed one is refused)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "guarded-fetch-tls-"));
    const servernames: string[] = [];
    let tlsServer: https.Server | undefined;
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=allowed.test", "-addext", "subjectAltName=DNS:allowed.test", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { stdio: "ignore" });
      const key = readFileSync(path.join(dir, "key.pem"));
      const cert = readFileSync(path.join(dir, "cert.pem"));
      const context = tls.createSecureContext({ key, cert });
      tlsServer = https.createServer(
        {
          key,
          cert,
          SNICallback: (name, cb) => {
            servernames.push(name);
            cb(null, context);
          },
        },
        (_req, res) => res.end("secret page"),
      );
      const srv = tlsServer;
      await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
      const tlsPort = (srv.address() as AddressInfo).port;
      await expect(guardedFetch(`https://allowed.test:${tlsPort}/`, {}, options())).rejects.toMatchObject({ code: "network_error" });
      expect(servernames).toEqual(["allowed.test"]);
    } finally {
      const srv = tlsServer;
      if (srv) await new Promise((resolve) => srv.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
