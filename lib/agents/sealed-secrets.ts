// Secret configuration values that must wait for an approval: encrypted with the app's
// secrets key (AES-256-GCM, lib/secrets/secret-cipher.ts) before they go into the
// approval's payload, and decrypted only inside the deciding transaction that installs
// them. Each value is bound to its approval seal and its place (which installation of the
// plan, which key), so a ciphertext copied elsewhere does not decrypt. A null (clear this
// secret, on upgrades) stays null. Plaintext never reaches the database or the events.
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "../secrets/secret-cipher";
import { getSecretsKey } from "../secrets/secrets-key";

export interface SealedSecret {
  ciphertext: string;
  keyId: string;
}
export type SealedSecrets = Record<string, SealedSecret | null>;

/** A fresh id that binds a payload's ciphertexts together. */
export function newSealId(): string {
  return randomBytes(12).toString("base64url");
}

const at = (sealId: string, scope: string, key: string) => ({ installationId: `approval-payload:${sealId}`, name: `${scope}:${key}` });

export function sealSecrets(sealId: string, scope: string, values: Record<string, string | null> | undefined): SealedSecrets {
  const key = getSecretsKey();
  const out: SealedSecrets = {};
  for (const [name, value] of Object.entries(values ?? {})) out[name] = value === null ? null : encryptSecret(key, at(sealId, scope, name), value);
  return out;
}

/** Throws a SecretDecryptionError when the key changed or the payload was altered. */
export function openSecrets(sealId: string, scope: string, sealed: SealedSecrets | undefined): Record<string, string | null> {
  const key = getSecretsKey();
  const out: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(sealed ?? {})) out[name] = value === null ? null : decryptSecret(key, at(sealId, scope, name), value);
  return out;
}

/** The plaintext values of a secrets map (for event redaction). */
export function secretValues(...maps: (Record<string, string | null> | undefined)[]): string[] {
  return maps.flatMap((m) => Object.values(m ?? {}).filter((v): v is string => typeof v === "string"));
}
