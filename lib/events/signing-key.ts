// The Ed25519 key that signs audit checkpoints. It lives outside the database
// (AUDIT_SIGNING_KEY, or DATA_DIR/audit-signing-key.pem created once with mode 0600),
// so whoever can rewrite the database still cannot forge a checkpoint.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { readOrCreateSecretFile } from "../data-dir";
import { getEnv } from "../env";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  publicKeyPem: string;
}

let cached: SigningKey | undefined;

function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) return createPrivateKey(trimmed);
  return createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);
}

export function getSigningKey(): SigningKey {
  if (cached) return cached;
  const fromEnv = getEnv().AUDIT_SIGNING_KEY;
  const pem =
    fromEnv ??
    readOrCreateSecretFile("audit-signing-key.pem", () =>
      generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    ).value;
  const privateKey = parsePrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("AUDIT_SIGNING_KEY must be an Ed25519 private key");
  const publicKey = createPublicKey(privateKey);
  cached = {
    privateKey,
    publicKey,
    keyId: publicKeyId(publicKey),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
  return cached;
}

export function checkpointMessage(seq: number, headHash: string): Buffer {
  return Buffer.from(`capreg-audit-checkpoint:v1:${seq}:${headHash}`, "utf8");
}

export function signCheckpoint(key: SigningKey, seq: number, headHash: string): string {
  return sign(null, checkpointMessage(seq, headHash), key.privateKey).toString("base64");
}

export function verifyCheckpointSignature(publicKey: KeyObject, seq: number, headHash: string, signature: string): boolean {
  try {
    return verify(null, checkpointMessage(seq, headHash), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}
