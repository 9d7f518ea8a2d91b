// Writes (encrypts) and clears secret configuration values of one installation, inside
// the caller's transaction. Values are registered as log secrets so that, should one ever
// reach a log line, it is redacted. Never returns or logs a value.
import type { Prisma } from "../db/prisma";
import { registerLogSecret } from "../log";
import { encryptSecret } from "./secret-cipher";
import { getSecretsKey } from "./secrets-key";

export interface SaveInstallationSecretsOptions {
  installationId: string;
  /** Key name → plaintext value to store (replaces an existing value). */
  set?: Record<string, string>;
  /** Key names whose stored values are deleted. */
  clear?: readonly string[];
}

export async function saveInstallationSecrets(tx: Prisma.TransactionClient, options: SaveInstallationSecretsOptions): Promise<void> {
  const key = getSecretsKey();
  for (const [name, value] of Object.entries(options.set ?? {})) {
    registerLogSecret(value);
    const { ciphertext, keyId } = encryptSecret(key, { installationId: options.installationId, name }, value);
    await tx.installationSecret.upsert({
      where: { installationId_key: { installationId: options.installationId, key: name } },
      create: { installationId: options.installationId, key: name, ciphertext, keyId },
      update: { ciphertext, keyId },
      select: { key: true },
    });
  }
  if (options.clear?.length) {
    await tx.installationSecret.deleteMany({ where: { installationId: options.installationId, key: { in: [...options.clear] } } });
  }
}
