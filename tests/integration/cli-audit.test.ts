// `capreg audit tail --follow` and `capreg audit verify`, the real binary against a real
// HTTP server (the real route handlers) on this file's database: the follower survives a
// server restart without a duplicate or a gap; the verifier checks the chain and the
// signed checkpoints itself and names the first sequence number a tampered row breaks.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { appendEvent } from "../../lib/events/append-event";
import { createDueCheckpoints } from "../../lib/events/checkpoints";
import { getLiveEvents } from "../../lib/events/live-events";
import { makeToken, makeUser, useAppDatabase } from "./helpers/app";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { jsonOf, runCli, spawnCli, type CliEnv } from "./cli/run-cli";
import { startTestServer, type TestServer } from "./cli/test-server";

let t: TestDatabase;
let server: TestServer;
let home: string;
let env: CliEnv;

const note = (message: string) => appendEvent(t.db, { type: "note.recorded", data: { message }, stream: { type: "test", id: "cli" }, actor: { type: "system", id: null } });

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  server = await startTestServer();
  const admin = await makeUser(t, "admin");
  const token = (await makeToken(t, admin, ["events:read", "events:write"])).token;
  home = mkdtempSync(path.join(os.tmpdir(), "capreg-cli-audit-"));
  env = { configHome: home, url: server.url, token };
});

afterAll(async () => {
  await server?.stop();
  await getLiveEvents().close();
  await t?.drop();
  rmSync(home, { recursive: true, force: true });
});

/** Resolves when `predicate` holds for the lines seen so far (checked on every new chunk). */
function linesUntil(stream: NodeJS.ReadableStream, lines: string[], predicate: (l: string[]) => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`timed out; lines so far:\n${lines.join("\n")}`)), timeoutMs);
    const check = () => {
      if (predicate(lines)) {
        clearTimeout(timer);
        stream.off("data", onData);
        resolve();
      }
    };
    const onData = (d: Buffer) => {
      buffer += d.toString();
      let i: number;
      while ((i = buffer.indexOf("\n")) >= 0) {
        lines.push(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
      check();
    };
    stream.on("data", onData);
    check();
  });
}

test("audit tail --follow resumes after a server restart: every event once, in order", async () => {
  await note("before the follower");
  const child = spawnCli(["audit", "tail", "--follow", "--json", "--limit", "0", "--type", "note.recorded"], env);
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stderr.on("data", (d) => stderr.push(d.toString()));
  const messages = () => lines.map((l) => (JSON.parse(l) as { data: { message: string } }).data.message);
  try {
    // The follower is connected once it said so on stderr.
    await linesUntil(child.stderr, [], () => stderr.join("").includes("following the event log"));
    for (let i = 1; i <= 3; i++) await note(`live ${i}`);
    await linesUntil(child.stdout, lines, (l) => l.length >= 3);

    await server.stop();
    // Written while the server is down: the follower must get them from the replay.
    for (let i = 4; i <= 6; i++) await note(`live ${i}`);
    await server.start();
    await note("live 7");
    await linesUntil(child.stdout, lines, () => messages().includes("live 7"));

    expect(messages()).toEqual(["live 1", "live 2", "live 3", "live 4", "live 5", "live 6", "live 7"]);
    const seqs = lines.map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(stderr.join("")).toMatch(/connection lost|closed the stream/);
    expect(stderr.join("")).toMatch(/reconnected; resuming after #\d+/);
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.once("close", r));
  }
  expect(child.exitCode === 0 || child.signalCode === "SIGINT").toBe(true);
});

test("audit tail prints the newest events, oldest first", async () => {
  await note("tail one");
  await note("tail two");
  const r = await runCli(["audit", "tail", "--limit", "2", "--type", "note.recorded"], env);
  expect(r.code, r.stderr).toBe(0);
  const out = r.stdout.trim().split("\n");
  expect(out).toHaveLength(2);
  expect(out[0]).toMatch(/^#\d+ .* note\.recorded .*"tail one"/);
  expect(out[1]).toContain('"tail two"');
});

test("audit verify checks the chain and the signed checkpoints client-side and names the first tampered seq", async () => {
  for (let i = 0; i < 5; i++) await note(`verify ${i}`);
  await createDueCheckpoints(t.db, { atHead: true });
  const ok = await runCli(["audit", "verify", "--json"], env);
  expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  const body = jsonOf<{ ok: boolean; checkedEvents: number; checkpoints: { checked: number }; trusts: string[] }>(ok);
  expect(body.ok).toBe(true);
  expect(body.checkedEvents).toBeGreaterThan(10);
  expect(body.checkpoints.checked).toBeGreaterThanOrEqual(1);
  expect(body.trusts.join(" ")).toMatch(/public key/);

  // Pinning the key the server serves removes that trust; a wrong key finds no valid checkpoint.
  const cps = (await (await fetch(`${server.url}/api/events/checkpoints`, { headers: { authorization: `Bearer ${env.token}` } })).json()) as { publicKey: string };
  const keyFile = path.join(home, "audit.pem");
  writeFileSync(keyFile, cps.publicKey);
  const pinned = await runCli(["audit", "verify", "--public-key", keyFile, "--json"], env);
  expect(pinned.code, pinned.stdout).toBe(0);
  expect(jsonOf<{ trusts: string[]; checkpoints: { keyPinned: boolean } }>(pinned)).toMatchObject({ checkpoints: { keyPinned: true } });
  const { generateKeyPairSync } = await import("node:crypto");
  const other = generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" }).toString();
  writeFileSync(keyFile, other);
  const wrong = await runCli(["audit", "verify", "--public-key", keyFile], env);
  expect(wrong.code).toBe(1);
  expect(wrong.stdout).toMatch(/no checkpoint is signed by the pinned key/);

  const owner = await t.ownerClient();
  const target = (await owner.query("SELECT seq FROM events WHERE type = 'note.recorded' AND data->>'message' = 'verify 2'")).rows[0].seq as string;
  try {
    await owner.query("BEGIN");
    await owner.query("ALTER TABLE events DISABLE TRIGGER USER");
    await owner.query(`UPDATE events SET data = '{"message":"rewritten"}' WHERE seq = $1`, [target]);
    await owner.query("ALTER TABLE events ENABLE TRIGGER USER");
    await owner.query("COMMIT");
  } finally {
    await owner.end();
  }
  const broken = await runCli(["audit", "verify"], env);
  expect(broken.code).toBe(1);
  expect(broken.stdout).toContain(`the audit log is broken at #${Number(target)}: hash_mismatch`);
  const brokenJson = await runCli(["audit", "verify", "--json"], env);
  expect(jsonOf(brokenJson)).toMatchObject({ ok: false, firstBrokenSeq: Number(target), reason: "hash_mismatch" });
});
