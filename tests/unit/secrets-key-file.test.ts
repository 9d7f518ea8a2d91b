// Without SECRETS_KEY the key is generated once into DATA_DIR/secrets-key with mode 0600
// and read back on later starts.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { getSecretsKey, resetSecretsKeyCache } from "../../lib/secrets/secrets-key";

const saved = { DATA_DIR: process.env.DATA_DIR, SECRETS_KEY: process.env.SECRETS_KEY };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetSecretsKeyCache();
});

function fresh(env: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  resetSecretsKeyCache();
}

test("generated once with mode 0600, then reused", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "capreg-secrets-"));
  fresh({ DATA_DIR: dir, SECRETS_KEY: undefined });
  const first = getSecretsKey();
  const file = path.join(dir, "secrets-key");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first.key)).toBe(true);
  fresh({ DATA_DIR: dir, SECRETS_KEY: undefined });
  expect(getSecretsKey().keyId).toBe(first.keyId);
});

test("SECRETS_KEY wins over the file", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "capreg-secrets-"));
  fresh({ DATA_DIR: dir, SECRETS_KEY: "cd".repeat(32) });
  expect(getSecretsKey().key.equals(Buffer.from("cd".repeat(32), "hex"))).toBe(true);
});

test("a malformed SECRETS_KEY fails fast at start-up", () => {
  fresh({ SECRETS_KEY: "too-short" });
  expect(() => getSecretsKey()).toThrow(/SECRETS_KEY: expected 32 bytes/);
});
