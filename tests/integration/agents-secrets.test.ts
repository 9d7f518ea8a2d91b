// Installation secrets: encrypted at rest (AES-256-GCM, bound to installation and key
// name), decrypted only for the execution engine, and never present in any API response,
// event (the whole events table is searched) or log line (stdout/stderr are captured).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { log } from "../../lib/log";
import { decryptInstallationSecrets } from "../../lib/secrets/decrypt-installation-secrets";
import { SecretDecryptionError } from "../../lib/secrets/secret-cipher";
import { getSecretsKey, resetSecretsKeyCache } from "../../lib/secrets/secrets-key";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { makeUser, useAppDatabase } from "./helpers/app";
import { agentsClient, asUser, codeManifest, loadAgentRoutes, makeAgent, publishVersion, type AgentRoutes, type AgentsClient } from "./helpers/registry-factory";

let t: TestDatabase;
let routes: AgentRoutes;
let api: AgentsClient;
let owner: Awaited<ReturnType<typeof makeUser>>;

/** Every secret value used in this file; none may appear in responses, events or logs. */
const SECRETS: string[] = [];
const secret = (name: string) => {
  const v = `sv-${name}-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  SECRETS.push(v);
  return v;
};
const responses: string[] = [];
const output: string[] = [];

/** Calls the API and keeps the response text for the final search. */
async function keep(res: Response): Promise<{ status: number; body: Record<string, any> }> {
  const text = await res.text();
  responses.push(text);
  return { status: res.status, body: JSON.parse(text) };
}

const configuration = [
  { key: "API_KEY", type: "secret", required: true },
  { key: "WEBHOOK_SECRET", type: "secret" },
  { key: "REGION", type: "string" },
];

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  // Log everything, and capture it.
  process.env.LOG_LEVEL = "debug";
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  routes = await loadAgentRoutes();
  owner = await makeUser(t);
  api = agentsClient(routes, await asUser(owner));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t.drop();
});

async function installWithSecret(value: string) {
  const cap = await publishVersion(t, { owner, manifest: codeManifest({ configuration }) });
  const agentId = await makeAgent(api);
  const res = await keep(await api.install(agentId, { capability: cap.slug, grantedPermissions: [], config: { REGION: "eu" }, secrets: { API_KEY: value } }));
  expect(res.status).toBe(201);
  return { agentId, installationId: res.body.installation.id as string, slug: cap.slug };
}

describe("encrypted at rest", () => {
  test("the stored ciphertext is not the plaintext, carries the key id, and decrypts back", async () => {
    const value = secret("at-rest");
    const { installationId } = await installWithSecret(value);
    const sql = await t.ownerClient();
    const { rows } = await sql.query(`SELECT key, ciphertext, key_id FROM installation_secrets WHERE installation_id = $1`, [installationId]);
    const dump = await sql.query(`SELECT string_agg(t::text, '') AS all FROM installation_secrets t`);
    await sql.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].ciphertext).not.toContain(value);
    expect(dump.rows[0].all).not.toContain(value);
    expect(rows[0].ciphertext).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(rows[0].key_id).toBe(createHash("sha256").update(getSecretsKey().key).digest("hex").slice(0, 8));
    expect(await decryptInstallationSecrets(t.db, installationId)).toEqual({ API_KEY: value });
  });

  test("the same value encrypts differently each time (random IV)", async () => {
    const value = secret("iv");
    const a = await installWithSecret(value);
    const b = await installWithSecret(value);
    const [x, y] = await Promise.all([a, b].map((i) => t.db.installationSecret.findFirstOrThrow({ where: { installationId: i.installationId }, select: { ciphertext: true } })));
    expect(x!.ciphertext).not.toBe(y!.ciphertext);
  });

  test("a tampered ciphertext, or one moved to another installation or key name, fails to decrypt", async () => {
    const value = secret("tamper");
    const a = await installWithSecret(value);
    const b = await installWithSecret(secret("other"));
    const sql = await t.ownerClient();
    try {
      const row = (await sql.query(`SELECT ciphertext, key_id FROM installation_secrets WHERE installation_id = $1`, [a.installationId])).rows[0];
      // Moved to installation b (same key name): authentication fails.
      await sql.query(`UPDATE installation_secrets SET ciphertext = $1 WHERE installation_id = $2`, [row.ciphertext, b.installationId]);
      await expect(decryptInstallationSecrets(t.db, b.installationId)).rejects.toMatchObject({ name: "SecretDecryptionError", reason: "tampered" });
      // Moved to another key name of the same installation.
      await sql.query(`INSERT INTO installation_secrets (installation_id, key, ciphertext, key_id, updated_at) VALUES ($1, 'WEBHOOK_SECRET', $2, $3, now())`, [a.installationId, row.ciphertext, row.key_id]);
      await expect(decryptInstallationSecrets(t.db, a.installationId)).rejects.toBeInstanceOf(SecretDecryptionError);
      await sql.query(`DELETE FROM installation_secrets WHERE installation_id = $1 AND key = 'WEBHOOK_SECRET'`, [a.installationId]);
      expect(await decryptInstallationSecrets(t.db, a.installationId)).toEqual({ API_KEY: value });
      // One bit flipped in the ciphertext body.
      const [v, iv, body, tag] = row.ciphertext.split(".");
      const flipped = Buffer.from(body, "base64url");
      flipped[0]! ^= 1;
      await sql.query(`UPDATE installation_secrets SET ciphertext = $1 WHERE installation_id = $2`, [[v, iv, flipped.toString("base64url"), tag].join("."), a.installationId]);
      await expect(decryptInstallationSecrets(t.db, a.installationId)).rejects.toMatchObject({ reason: "tampered" });
    } finally {
      await sql.end();
    }
  });

  test("a changed key is detected and named, not mistaken for tampering", async () => {
    const { installationId } = await installWithSecret(secret("rotation"));
    const before = getSecretsKey().keyId;
    const saved = process.env.SECRETS_KEY;
    process.env.SECRETS_KEY = "ab".repeat(32);
    resetEnvCache();
    resetSecretsKeyCache();
    try {
      const err = await decryptInstallationSecrets(t.db, installationId).catch((e) => e);
      expect(err).toBeInstanceOf(SecretDecryptionError);
      expect(err.reason).toBe("key_changed");
      expect(err.message).toContain(`encrypted with key ${before}, but the current secrets key is ${getSecretsKey().keyId}`);
    } finally {
      if (saved === undefined) delete process.env.SECRETS_KEY;
      else process.env.SECRETS_KEY = saved;
      resetEnvCache();
      resetSecretsKeyCache();
    }
    expect(getSecretsKey().keyId).toBe(before);
  });
});

describe("never shown", () => {
  test("responses show only whether each secret is set; replacing and clearing are evented by name", async () => {
    const first = secret("first");
    const { agentId, installationId, slug } = await installWithSecret(first);
    const got = await keep(await api.getAgent(agentId));
    expect(got.body.installations[0].secrets).toEqual([
      { key: "API_KEY", set: true },
      { key: "WEBHOOK_SECRET", set: false },
    ]);
    await keep(await api.listInstallations(agentId));

    const replaced = secret("replaced");
    const hook = secret("hook");
    const patched = await keep(await api.patchInstallation(agentId, installationId, { secrets: { API_KEY: replaced, WEBHOOK_SECRET: hook } }));
    expect(patched.body.installation.secrets).toEqual([
      { key: "API_KEY", set: true },
      { key: "WEBHOOK_SECRET", set: true },
    ]);
    expect(await decryptInstallationSecrets(t.db, installationId)).toEqual({ API_KEY: replaced, WEBHOOK_SECRET: hook });
    const cleared = await keep(await api.patchInstallation(agentId, installationId, { secrets: { WEBHOOK_SECRET: null } }));
    expect(cleared.body.installation.secrets[1]).toEqual({ key: "WEBHOOK_SECRET", set: false });
    expect(await decryptInstallationSecrets(t.db, installationId)).toEqual({ API_KEY: replaced });
    const events = await t.db.$queryRawUnsafe<{ type: string; data: unknown }[]>(`SELECT type, data FROM events WHERE subject_id = $1 ORDER BY seq`, installationId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["installation.created", expect.objectContaining({ configKeys: ["REGION"], secretKeys: ["API_KEY"] })],
      ["installation.config_changed", { slug, configKeys: [], secretKeys: ["API_KEY", "WEBHOOK_SECRET"] }],
      ["installation.config_changed", { slug, configKeys: [], secretKeys: ["WEBHOOK_SECRET"] }],
    ]);

    // A secret sent as plain config is refused without echoing it.
    const wrong = secret("wrong-place");
    expect((await keep(await api.patchInstallation(agentId, installationId, { config: { API_KEY: wrong } }))).status).toBe(422);

    // Uninstalling deletes the stored secrets.
    expect((await keep(await api.uninstall(agentId, installationId))).status).toBe(200);
    expect(await t.db.installationSecret.count({ where: { installationId } })).toBe(0);
  });

  test("a failing request that carried a secret logs an error, without the secret", async () => {
    const cap = await publishVersion(t, { owner, manifest: codeManifest({ configuration }) });
    const agentId = await makeAgent(api);
    const sql = await t.ownerClient();
    const logged = output.length;
    try {
      await sql.query(`CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'event refused by test: %', NEW.data::text; END $$`);
      await sql.query(`CREATE TRIGGER test_refuse BEFORE INSERT ON event_pending FOR EACH ROW WHEN (NEW.type = 'installation.created') EXECUTE FUNCTION test_refuse_event()`);
      const res = await keep(await api.install(agentId, { capability: cap.slug, grantedPermissions: [], secrets: { API_KEY: secret("failing") } }));
      expect(res.status).toBe(500);
    } finally {
      await sql.query(`DROP TRIGGER IF EXISTS test_refuse ON event_pending`);
      await sql.query(`DROP FUNCTION IF EXISTS test_refuse_event()`);
      await sql.end();
    }
    expect(output.slice(logged).join("")).toContain("unhandled error");
  });

  test("decrypted values are registered with the logger, so a careless log line is redacted", async () => {
    const value = secret("logged");
    const { installationId } = await installWithSecret(value);
    const { API_KEY } = await decryptInstallationSecrets(t.db, installationId);
    const logged = output.length;
    log.info("calling upstream", { url: `https://api.example.com/?key=${API_KEY}`, header: API_KEY });
    const line = output.slice(logged).join("");
    expect(line).toContain("calling upstream");
    expect(line).toContain("[REDACTED]");
  });

  test("no secret value appears in any response, in the events table, or in the captured logs", async () => {
    expect(SECRETS.length).toBeGreaterThan(8);
    expect(responses.length).toBeGreaterThan(5);
    expect(output.length).toBeGreaterThan(0);
    const [events] = await t.db.$queryRawUnsafe<{ all: string }[]>(`SELECT string_agg(data::text, E'\\n') AS all FROM events`);
    expect(events!.all.length).toBeGreaterThan(100);
    const logs = output.join("");
    const everything = responses.join("\n");
    for (const s of SECRETS) {
      expect(everything, `response contains ${s}`).not.toContain(s);
      expect(events!.all, `events contain ${s}`).not.toContain(s);
      expect(logs, `logs contain ${s}`).not.toContain(s);
    }
  });
});
