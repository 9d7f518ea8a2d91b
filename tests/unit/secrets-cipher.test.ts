// AES-256-GCM for installation secrets: round trip, fresh IV, authentication bound to the
// installation and key name, tamper and key-change detection, and key parsing.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "../../lib/secrets/secret-cipher";
import { parseSecretsKey } from "../../lib/secrets/secrets-key";

const key = parseSecretsKey(randomBytes(32).toString("hex"));
const at = { installationId: "ins_a", name: "API_KEY" };

describe("secret cipher", () => {
  test("round-trips, including unicode, and never contains the plaintext", () => {
    for (const value of ["sk-live-123456", "pässwörd 🔑", "x".repeat(10_000)]) {
      const enc = encryptSecret(key, at, value);
      expect(enc.keyId).toBe(key.keyId);
      expect(enc.ciphertext).not.toContain(value);
      expect(decryptSecret(key, at, enc)).toBe(value);
    }
  });

  test("uses a fresh 12-byte IV per value", () => {
    const a = encryptSecret(key, at, "same");
    const b = encryptSecret(key, at, "same");
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext.split(".")[1]!, "base64url")).toHaveLength(12);
  });

  test("a ciphertext moved to another installation or key name fails", () => {
    const enc = encryptSecret(key, at, "secret-value");
    expect(() => decryptSecret(key, { ...at, installationId: "ins_b" }, enc)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(key, { ...at, name: "OTHER" }, enc)).toThrow(/failed authentication/);
  });

  test("any altered part fails authentication; garbage is malformed", () => {
    const enc = encryptSecret(key, at, "secret-value");
    const parts = enc.ciphertext.split(".");
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i]!, "base64url");
      bytes[bytes.length - 1]! ^= 0x01;
      const altered = [...parts];
      altered[i] = bytes.toString("base64url");
      expect(() => decryptSecret(key, at, { ...enc, ciphertext: altered.join(".") })).toThrow(expect.objectContaining({ reason: "tampered" }));
    }
    expect(() => decryptSecret(key, at, { ...enc, ciphertext: "v2.a.b.c" })).toThrow(expect.objectContaining({ reason: "malformed" }));
    expect(() => decryptSecret(key, at, { ...enc, ciphertext: "not even close" })).toThrow(expect.objectContaining({ reason: "malformed" }));
  });

  test("a different key is reported as a key change, naming both key ids", () => {
    const other = parseSecretsKey(randomBytes(32).toString("base64"));
    const enc = encryptSecret(key, at, "secret-value");
    expect(() => decryptSecret(other, at, enc)).toThrow(expect.objectContaining({ reason: "key_changed", message: expect.stringContaining(`${key.keyId}, but the current secrets key is ${other.keyId}`) }));
    // Even with a forged key id, the wrong key cannot decrypt.
    expect(() => decryptSecret(other, at, { ...enc, keyId: other.keyId })).toThrow(expect.objectContaining({ reason: "tampered" }));
  });
});

describe("secrets key", () => {
  test("accepts 32 bytes as hex, base64 or base64url; the id is the first 8 hex of its sha256", () => {
    const raw = randomBytes(32);
    const ids = [raw.toString("hex"), raw.toString("base64"), raw.toString("base64url")].map((s) => parseSecretsKey(s));
    for (const k of ids) {
      expect(k.key.equals(raw)).toBe(true);
      expect(k.keyId).toBe(createHash("sha256").update(raw).digest("hex").slice(0, 8));
    }
  });

  test("refuses anything that is not 32 bytes", () => {
    for (const bad of ["", "abc", "ab".repeat(31), randomBytes(16).toString("base64"), randomBytes(48).toString("base64")]) {
      expect(() => parseSecretsKey(bad)).toThrow(/32 bytes/);
    }
  });
});
