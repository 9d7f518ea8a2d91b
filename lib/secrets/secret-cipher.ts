// AES-256-GCM for one secret configuration value. A fresh random 12-byte IV per value;
// the installation id and the key name are the additional authenticated data, so a
// ciphertext copied to another installation or another key name fails to decrypt.
// Pure apart from randomness: the key is passed in. Never log plaintext or errors that
// could carry it (Node's crypto errors do not).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretsKey } from "./secrets-key";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretLocation {
  installationId: string;
  name: string;
}

export class SecretDecryptionError extends Error {
  constructor(
    message: string,
    readonly reason: "key_changed" | "tampered" | "malformed",
  ) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

function aad(at: SecretLocation): Buffer {
  return Buffer.from(`capreg:installation-secret:${VERSION}:${at.installationId}:${at.name}`, "utf8");
}

/** `v1.<iv>.<ciphertext>.<tag>`, each part base64url. */
export function encryptSecret(key: SecretsKey, at: SecretLocation, plaintext: string): { ciphertext: string; keyId: string } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(at));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { ciphertext: [VERSION, iv.toString("base64url"), body.toString("base64url"), tag.toString("base64url")].join("."), keyId: key.keyId };
}

export function decryptSecret(key: SecretsKey, at: SecretLocation, stored: { ciphertext: string; keyId: string }): string {
  if (stored.keyId !== key.keyId) {
    throw new SecretDecryptionError(
      `secret ${at.name} of installation ${at.installationId} was encrypted with key ${stored.keyId}, but the current secrets key is ${key.keyId}: restore the SECRETS_KEY it was saved with`,
      "key_changed",
    );
  }
  const parts = stored.ciphertext.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretDecryptionError(`secret ${at.name} of installation ${at.installationId} is not in a known format`, "malformed");
  const [, iv, body, tag] = parts.map((p) => Buffer.from(p, "base64url")) as [Buffer, Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptionError(`secret ${at.name} of installation ${at.installationId} is not in a known format`, "malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(at));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError(`secret ${at.name} of installation ${at.installationId} failed authentication: it was altered or belongs elsewhere`, "tampered");
  }
}
