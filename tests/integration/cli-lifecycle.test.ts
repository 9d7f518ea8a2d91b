// The capreg binary (scripts/capreg.mjs, run as a child process) against a real HTTP server
// serving the real route handlers on this file's database, with a real executor: login,
// init → validate → test → publish → install → invoke, discover, broken manifests, and
// secrets passed with @file that never reach the event log.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startExecutor } from "../../lib/execution/executor/executor";
import { saveRuleSet } from "../../lib/policy/rule-store";
import { closeExecutionWaiter } from "../../lib/execution/queue/await-execution";
import { makeToken, makeUser, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { jsonOf, runCli, spawnCli, type CliEnv } from "./cli/run-cli";
import { startTestServer, type TestServer } from "./cli/test-server";

let t: TestDatabase;
let server: TestServer;
let executor: Awaited<ReturnType<typeof startExecutor>>;
let home: string;
let work: string;
let token: string;
let env: CliEnv;
let adminEnv: CliEnv;

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  executor = await startExecutor({ db: t.db, slots: 2, leaseMs: 15_000 });
  server = await startTestServer();
  const author = await makeUser(t);
  token = (await makeToken(t, author, ["capabilities:read", "capabilities:write", "agents:read", "agents:write", "agents:invoke", "events:read"])).token;
  home = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-home-"));
  work = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-work-"));
  env = { configHome: home, url: server.url, token, cwd: work };
  const admin = await makeUser(t, "admin");
  const adminToken = (await makeToken(t, admin, ["capabilities:read", "approvals:read", "approvals:decide", "events:read"])).token;
  adminEnv = { configHome: home, url: server.url, token: adminToken, cwd: work };
  // Installs go through without an approval here; invocations of high-risk actions still ask one.
  await saveRuleSet(t.db, { rules: [{ id: "installs-ok", match: { what: ["install"] }, effect: "allow" }], via: "form", actor: { type: "user", id: admin.id } });
});

afterAll(async () => {
  await server?.stop();
  await executor?.stop();
  await closeExecutionWaiter();
  await t?.drop();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe("login", () => {
  test("stores the URL and the token read from stdin in a 0600 file in a 0700 directory, never printing the token", async () => {
    const loginHome = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-login-"));
    const r = await runCli(["login", "--url", server.url], { configHome: loginHome, stdin: token + "\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(token);
    const file = path.join(loginHome, "capreg", "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ url: server.url, token });
    // The stored login is used without CAPREG_* variables.
    const who = await runCli(["whoami", "--json"], { configHome: loginHome });
    expect(who.code, who.stderr).toBe(0);
    expect(jsonOf(who)).toMatchObject({ url: server.url, tokenSource: "config" });
    expect(who.stdout + who.stderr).not.toContain(token);
    const out = await runCli(["logout"], { configHome: loginHome });
    expect(out.code).toBe(0);
    const after = await runCli(["whoami"], { configHome: loginHome });
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/not logged in[\s\S]*capreg login/);
    rmSync(loginHome, { recursive: true, force: true });
  });

  test("a refused token exits 3 and writes nothing", async () => {
    const loginHome = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-login-"));
    const r = await runCli(["login", "--url", server.url], { configHome: loginHome, stdin: "crg_not-a-real-token" });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused the token/);
    expect(() => statSync(path.join(loginHome, "capreg", "config.json"))).toThrow();
    rmSync(loginHome, { recursive: true, force: true });
  });

  test("an unreachable server exits 5 with what to check", async () => {
    const r = await runCli(["whoami"], { configHome: home, url: "http://127.0.0.1:9", token });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9[\s\S]*hint:/);
  });
});

describe("init --type workflow", () => {
  test("scaffolds a workflow of built-in steps that the draft test endpoint runs, with each step's result", async () => {
    const r = await runCli(["init", "greet-flow", "--type", "workflow"], env);
    expect(r.code, r.stderr).toBe(0);
    const run = await runCli(["test", "greet-flow", "--json"], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const body = jsonOf<{ passed: number; cases: { response: { output: unknown; matchesExpected: boolean; steps: Record<string, { status: string }> } }[] }>(run);
    expect(body.passed).toBe(1);
    expect(body.cases[0]!.response).toMatchObject({ output: { greeting: "Hello, Ada!" }, matchesExpected: true, steps: { greet: { status: "succeeded" } } });
  });
});

describe("init → validate → test → publish → install → invoke", () => {
  const slug = `cli-stats-${randomBytes(3).toString("hex")}`;
  let dir: string;
  let hash: string;
  let agentId: string;

  test("init scaffolds a code capability whose example is its test case", async () => {
    dir = path.join(work, slug);
    const r = await runCli(["init", slug, "--type", "code", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r)).toMatchObject({ slug, type: "code", files: ["capability.yaml", "index.js", "README.md"] });
    expect(readFileSync(path.join(dir, "capability.yaml"), "utf8")).toContain("source_file: index.js");
    // A second init into the same folder refuses to overwrite it.
    const again = await runCli(["init", slug], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not empty[\s\S]*--force/);
  });

  test("validate reports it valid with its content hash", async () => {
    const r = await runCli(["validate", slug, "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const body = jsonOf<{ valid: boolean; contentHash: string; sourceFile: string; version: string }>(r);
    expect(body).toMatchObject({ valid: true, sourceFile: "index.js", version: "0.1.0" });
    expect(body.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    hash = body.contentHash;
  });

  test("test runs the example in the server's sandbox; a wrong expected_output exits 1", async () => {
    const r = await runCli(["test", slug, "--json"], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const body = jsonOf<{ passed: number; failed: number; cases: { response: { output: unknown; logs: string[] } }[] }>(r);
    expect(body).toMatchObject({ passed: 1, failed: 0 });
    expect(body.cases[0]!.response.output).toEqual({ words: 2, characters: 11 });
    expect(body.cases[0]!.response.logs.join("\n")).toContain("counting");
    expect(r.stderr).toContain("running Two words (1/1)");

    const manifest = path.join(dir, "capability.yaml");
    const original = readFileSync(manifest, "utf8");
    writeFileSync(manifest, original.replace("words: 2", "words: 3"));
    try {
      const bad = await runCli(["test", slug], env);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/✗ Two words[\s\S]*expected:[\s\S]*"words": 3[\s\S]*1 of 1 failed/);
    } finally {
      writeFileSync(manifest, original);
    }

    // Ad-hoc input, the local source edited (the unpublished file is what runs).
    const source = path.join(dir, "index.js");
    const code = readFileSync(source, "utf8");
    writeFileSync(source, code.replace("return { words, characters: text.length };", "return { words, characters: text.length, edited: true };"));
    try {
      const adhoc = await runCli(["test", slug, "--input", '{"text":"a b c"}', "--json"], env);
      expect(adhoc.code, adhoc.stderr).toBe(0);
      expect(jsonOf<{ cases: { response: { output: unknown } }[] }>(adhoc).cases[0]!.response.output).toEqual({ words: 3, characters: 5, edited: true });
    } finally {
      writeFileSync(source, code);
    }
  });

  test("publish creates the capability, prints the content hash and the security report, and refuses the same version again locally", async () => {
    const r = await runCli(["publish", slug, "-m", "First version", "--json"], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const body = jsonOf<{ created: boolean; version: { version: string; contentHash: string; securityReport: { verdict: string } } }>(r);
    expect(body.created).toBe(true);
    expect(body.version.version).toBe("0.1.0");
    expect(body.version.contentHash).toBe(hash);
    expect(["clean", "warnings"]).toContain(body.version.securityReport.verdict);
    const found = await runCli(["search", slug, "--json"], env);
    expect(found.code, found.stderr).toBe(0);
    expect(jsonOf<{ items: { slug: string }[] }>(found).items.map((i) => i.slug)).toContain(slug);
    const human = await runCli(["info", slug], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${slug}.stats(text: string)`);
    expect(JSON.parse(readFileSync(path.join(dir, ".capreg", "state.json"), "utf8")).servers[server.url]).toMatchObject({ slug, version: "0.1.0", contentHash: hash });

    const posts = () => server.requests.filter((q) => q.method === "POST" && q.path === `/api/capabilities/${slug}/versions`).length;
    const before = posts();
    const again = await runCli(["publish", slug], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/0\.1\.0 is not higher than the latest published version 0\.1\.0[\s\S]*hint: set version: 0\.1\.1/);
    expect(posts()).toBe(before);
  });

  test("agents create, install and invoke run the published version on an executor", async () => {
    const created = await runCli(["agents", "create", "CLI agent", "--json"], env);
    expect(created.code, created.stderr).toBe(0);
    agentId = jsonOf<{ id: string }>(created).id;
    expect(agentId).toMatch(/^agt_/);
    const list = await runCli(["agents", "list"], env);
    expect(list.stdout).toContain(agentId);

    const inst = await runCli(["install", `${slug}@0.1.0`, "--agent", agentId, "--grant", "all", "--json"], env);
    expect(inst.code, inst.stdout + inst.stderr).toBe(0);
    expect(jsonOf(inst)).toMatchObject({ status: "installed", installation: { capability: { slug }, version: { version: "0.1.0" } } });

    const run = await runCli(["invoke", agentId, `${slug}.stats`, "--input", '{"text":"one two three"}', "--json"], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(jsonOf(run)).toMatchObject({ status: "succeeded", output: { words: 3, characters: 13 } });

    const human = await runCli(["invoke", agentId, `${slug}.stats`, "--input", '{"text":"x"}'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/✓ .*stats: succeeded[\s\S]*"words": 1/);
  });

  test("a new version is published, the agent upgraded, and the capability uninstalled", async () => {
    const manifest = path.join(dir, "capability.yaml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace("version: 0.1.0", "version: 0.2.0"));
    const pub = await runCli(["publish", slug, "-m", "Second"], env);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toMatch(/Published .* 0\.2\.0[\s\S]*content hash  sha256:/);
    const up = await runCli(["upgrade", slug, "--agent", agentId, "--json"], env);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(jsonOf(up)).toMatchObject({ status: "upgraded", installation: { version: { version: "0.2.0" } } });
    const un = await runCli(["uninstall", slug, "--agent", agentId], env);
    expect(un.code, un.stderr).toBe(0);
    const gone = await runCli(["invoke", agentId, `${slug}.stats`], env);
    expect(gone.code).not.toBe(0);
  });
});

const validManifest = (slug: string, version = "1.0.0") =>
  `type: code\nslug: ${slug}\nname: ${slug}\nversion: ${version}\npermissions: [compute.light]\nactions:\n  - id: run\nsource: "export default { actions: { run: () => ({ ok: true }) } };"\n`;

describe("discover", () => {
  test("finds nested manifests, ignores node_modules and dot folders, survives a symlink loop, and says what changed since the last publish", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-discover-"));
    const a = `disc-a-${randomBytes(3).toString("hex")}`;
    const b = `disc-b-${randomBytes(3).toString("hex")}`;
    mkdirSync(path.join(root, "one"), { recursive: true });
    writeFileSync(path.join(root, "one", "capability.yaml"), validManifest(a));
    mkdirSync(path.join(root, "deep", "er", "two"), { recursive: true });
    writeFileSync(path.join(root, "deep", "er", "two", "capability.json"), JSON.stringify({ type: "code", slug: b, name: b, version: "1.0.0", actions: [{ id: "run" }], source: "export default { actions: { run: () => 1 } };" }));
    for (const hidden of ["node_modules/pkg", ".git/x", ".cache/y"]) {
      mkdirSync(path.join(root, hidden), { recursive: true });
      writeFileSync(path.join(root, hidden, "capability.yaml"), "type: [broken");
    }
    symlinkSync(root, path.join(root, "deep", "loop"));

    const offline = await runCli(["discover", root, "--offline", "--json"], { ...env, cwd: root });
    expect(offline.code, offline.stderr).toBe(0);
    const items = jsonOf<{ items: { path: string; slug: string; valid: boolean; status: string; contentHash: string }[] }>(offline).items;
    expect(items.map((i) => path.relative(root, i.path)).sort()).toEqual(["deep/er/two/capability.json", "one/capability.yaml"]);
    expect(items.every((i) => i.valid && i.status === "unpublished" && /^sha256:/.test(i.contentHash))).toBe(true);

    const pub = await runCli(["publish", path.join(root, "one"), "-m", "v1"], env);
    expect(pub.code, pub.stderr).toBe(0);
    const status = async (o: { offline?: boolean } = {}) => {
      const r = await runCli(["discover", ...(o.offline ? ["--offline"] : []), "--json"], { ...env, cwd: root });
      expect(r.code, r.stderr).toBe(0);
      return Object.fromEntries(jsonOf<{ items: { slug: string; status: string; published: { source: string } | null }[] }>(r).items.map((i) => [i.slug, i]));
    };
    let s = await status();
    expect(s[a]).toMatchObject({ status: "published", published: { source: "server" } });
    expect(s[b]).toMatchObject({ status: "unpublished" });
    writeFileSync(path.join(root, "one", "capability.yaml"), validManifest(a).replace("ok: true", "ok: false"));
    s = await status();
    expect(s[a]!.status).toBe("changed");
    s = await status({ offline: true });
    expect(s[a]).toMatchObject({ status: "changed", published: { source: "local-state" } });
    const human = await runCli(["discover"], { ...env, cwd: root });
    expect(human.stdout).toMatch(/one\/capability\.yaml\s+disc-a-\S+\s+1\.0\.0\s+valid\s+changed\s+sha256:/);
    rmSync(root, { recursive: true, force: true });
  });
});

describe("broken manifests", () => {
  test("validate, test, publish and discover exit 1 with every error's path, and nothing is sent", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-broken-"));
    writeFileSync(
      path.join(dir, "capability.yaml"),
      "type: code\nslug: Bad Slug\nname: x\nversion: one\nactions:\n  - id: run\n    inputs:\n      - name: a\n        type: strange\nsource_file: ../outside.js\n",
    );
    const v = await runCli(["validate", dir], env);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/source_file: \.\.\/outside\.js is outside the capability's folder/);
    writeFileSync(path.join(dir, "capability.yaml"), "type: code\nslug: Bad Slug\nname: x\nversion: one\nactions:\n  - id: run\n    inputs:\n      - name: a\n        type: strange\nsource: x\n");
    const v2 = await runCli(["validate", dir, "--json"], env);
    expect(v2.code).toBe(1);
    const paths = jsonOf<{ errors: { path: string }[] }>(v2).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["slug", "version", "actions[0].inputs[0].type"]));

    const before = server.requests.length;
    for (const cmd of ["publish", "test"]) {
      const r = await runCli([cmd, dir], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is not valid: 3 errors[\s\S]*slug: [\s\S]*version: [\s\S]*actions\[0\]\.inputs\[0\]\.type: [\s\S]*hint:/);
    }
    expect(server.requests.length).toBe(before);
    const d = await runCli(["discover", "--offline"], { ...env, cwd: dir });
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/INVALID \(3\)[\s\S]*actions\[0\]\.inputs\[0\]\.type/);
    const syntax = path.join(dir, "syntax");
    mkdirSync(syntax);
    writeFileSync(path.join(syntax, "capability.yaml"), "slug: x\nactions: [\n");
    const s = await runCli(["validate", syntax], env);
    expect(s.code).toBe(1);
    expect(s.stdout).toMatch(/\(line \d+, column \d+\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  test("usage errors exit 2 and point at --help; --help and the exit codes through the binary", async () => {
    const bad = await runCli(["publish", "--no-such-option"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--no-such-option[\s\S]*capreg publish --help/);
    const unknown = await runCli(["pubish"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean `capreg publish`/);
    const help = await runCli(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*3 {2}authentication/);
    // Every command's --help is checked in-process (tests/unit/cli-args.test.ts); a sample through the binary.
    for (const cmd of ["publish", "agents create", "audit tail"]) {
      const r = await runCli([...cmd.split(" "), "--help"], env);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`^capreg ${cmd}[\\s\\S]*--json`));
    }
  });
});

describe("secrets", () => {
  test("a secret passed with @file reaches the installation but never the event log (API and database) nor the output", async () => {
    const slug = `cli-secret-${randomBytes(3).toString("hex")}`;
    const dir = path.join(work, slug);
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "capability.yaml"),
      `type: code\nslug: ${slug}\nname: Secret user\nversion: 1.0.0\npermissions: [compute.light]\nconfiguration:\n  - key: API_KEY\n    type: secret\n    required: true\nactions:\n  - id: check\nsource_file: index.js\n`,
    );
    writeFileSync(path.join(dir, "index.js"), "export default { actions: { check: (input, ctx) => ({ length: String(ctx.secrets.API_KEY ?? '').length }) } };\n");
    expect((await runCli(["publish", dir], env)).code).toBe(0);
    const agent = jsonOf<{ id: string }>(await runCli(["agents", "create", "Secret agent", "--json"], env)).id;
    const secret = `sk-cli-${randomBytes(12).toString("hex")}`;
    const secretFile = path.join(work, "api-key.txt");
    writeFileSync(secretFile, secret + "\n");
    chmodSync(secretFile, 0o600);

    const literal = await runCli(["install", slug, "--agent", agent, "--secret", `API_KEY=${secret}`], env);
    expect(literal.code).toBe(2);
    expect(literal.stderr).toMatch(/shell history[\s\S]*API_KEY=@file/);

    const inst = await runCli(["install", slug, "--agent", agent, "--grant", "all", "--secret", `API_KEY=@${secretFile}`, "--json"], env);
    expect(inst.code, inst.stdout + inst.stderr).toBe(0);
    const run = await runCli(["invoke", agent, `${slug}.check`, "--json"], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // The code saw the whole secret (without the file's newline).
    expect(jsonOf(run)).toMatchObject({ output: { length: secret.length } });
    for (const r of [inst, run]) expect(r.stdout + r.stderr).not.toContain(secret);

    const tail = await runCli(["audit", "tail", "--limit", "200", "--json"], env);
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout.trim().split("\n").length).toBeGreaterThan(5);
    expect(tail.stdout).toContain("installation");
    expect(tail.stdout).not.toContain(secret);
    const res = await fetch(`${server.url}/api/events?limit=200`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.text()).not.toContain(secret);
    const owner = await t.ownerClient();
    try {
      const rows = await owner.query("SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1", [`%${secret}%`]);
      expect(rows.rows[0].n).toBe(0);
      const all = await owner.query("SELECT count(*)::int AS n FROM events");
      expect(all.rows[0].n).toBeGreaterThan(5);
    } finally {
      await owner.end();
    }
  });
});

describe("approvals", () => {
  let agentId: string;
  let slug: string;

  beforeAll(async () => {
    slug = `cli-risky-${randomBytes(3).toString("hex")}`;
    const dir = path.join(work, slug);
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, "capability.yaml"),
      `type: code\nslug: ${slug}\nname: Risky greeter\nversion: 1.0.0\nrisk: high\npermissions: [compute.light]\nactions:\n  - id: greet\n    inputs:\n      - name: name\n        type: string\nsource: "export default { actions: { greet: (input) => ({ greeting: 'hi ' + input.name }) } };"\n`,
    );
    const pub = await runCli(["publish", dir], env);
    expect(pub.code, pub.stderr).toBe(0);
    agentId = jsonOf<{ id: string }>(await runCli(["agents", "create", "Risky agent", "--json"], env)).id;
    const inst = await runCli(["install", slug, "--agent", agentId, "--grant", "all"], env);
    expect(inst.code, inst.stdout + inst.stderr).toBe(0);
  });

  test("invoke prints the approval link, waits, and prints the real result once an admin approves with `approvals approve`", async () => {
    const child = spawnCli(["invoke", agentId, `${slug}.greet`, "--input", '{"name":"Ada"}', "--wait", "60", "--json"], env);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    const linked = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no approval link; stderr: ${stderr}`)), 30_000);
      child.stderr.on("data", (d) => {
        stderr += d;
        const m = /waiting for approval (apr_\S+); decide it at (\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.end();
    const approvalId = await linked;
    expect(stderr).toContain(`${server.url}/approvals?id=${approvalId}`);

    const list = await runCli(["approvals", "list", "--json"], adminEnv);
    expect(list.code, list.stderr).toBe(0);
    expect(jsonOf<{ items: { id: string; status: string }[] }>(list).items).toEqual(expect.arrayContaining([expect.objectContaining({ id: approvalId, status: "pending" })]));
    const ok = await runCli(["approvals", "approve", approvalId, "--comment", "fine"], adminEnv);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`Approved ${approvalId}`);

    expect(await closed).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: "succeeded", output: { greeting: "hi Ada" } });
  });

  test("with --wait 0 a pending approval exits 6 with its link; `approvals deny` denies it, and deciding it again exits 1", async () => {
    const r = await runCli(["invoke", agentId, `${slug}.greet`, "--input", '{"name":"Bob"}', "--wait", "0"], env);
    expect(r.code).toBe(6);
    const id = /approval (apr_\S+): (\S+)/.exec(r.stdout)?.[1];
    expect(id, r.stdout).toBeTruthy();
    expect(r.stdout).toContain(`${server.url}/approvals?id=${id}`);
    const deny = await runCli(["approvals", "deny", id!, "--comment", "not today"], adminEnv);
    expect(deny.code, deny.stderr).toBe(0);
    expect(deny.stdout).toContain(`Denied ${id}`);
    const again = await runCli(["approvals", "approve", id!], adminEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: /);
  });

  test("publish --public puts the version in review and shows its approval", async () => {
    const r = await runCli(["publish", path.join(work, slug), "--public", "--json"], { ...env, cwd: work });
    // 1.0.0 is published: the refusal comes first, locally.
    expect(r.code).toBe(1);
    const manifest = path.join(work, slug, "capability.yaml");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace("version: 1.0.0", "version: 1.1.0"));
    const pub = await runCli(["publish", path.join(work, slug), "--public"], env);
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toMatch(/Published .* 1\.1\.0 \(public, in review\)[\s\S]*Waiting for review: approval apr_\S+[\s\S]*\/approvals\?id=apr_/);
  });
});
