// The key that encrypts installation secrets: SECRETS_KEY (32 bytes, hex or base64), or
// one generated once into DATA_DIR/secrets-key with mode 0600. Its id (first 8 hex of
// sha256 of the key) is stored beside each ciphertext so a changed key is detected and
// named instead of failing as "bad data". Never log the key or write it to the database.
import { createHash, randomBytes } from "node:crypto";
import { readOrCreateSecretFile } from "../data-dir";
import { getEnv } from "../env";

export interface SecretsKey {
  key: Buffer;
  keyId: string;
}

let cached: SecretsKey | undefined;

/** 64 hex characters, or base64 / base64url of exactly 32 bytes. */
export function parseSecretsKey(text: string): SecretsKey {
  const t = text.trim();
  let key: Buffer;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else throw new Error("the secrets key must be 32 bytes written as 64 hex characters or base64");
  if (key.length !== 32) throw new Error("the secrets key must be exactly 32 bytes");
  return { key, keyId: secretsKeyId(key) };
}

export function secretsKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export function getSecretsKey(): SecretsKey {
  if (cached) return cached;
  const text = getEnv().SECRETS_KEY ?? readOrCreateSecretFile("secrets-key", () => randomBytes(32).toString("base64")).value;
  cached = parseSecretsKey(text);
  return cached;
}

/** For tests that switch keys (rotation): the next call reads the environment again. */
export function resetSecretsKeyCache(): void {
  cached = undefined;
}
