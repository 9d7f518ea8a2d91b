// For the execution engine only: the plaintext secrets of one installation, key name →
// value. Each value is registered with the logger so it is redacted from any log line.
// Never send the result to a client, an event or a log.
import type { Db, Prisma } from "../db/prisma";
import { registerLogSecret } from "../log";
import { decryptSecret } from "./secret-cipher";
import { getSecretsKey } from "./secrets-key";

export async function decryptInstallationSecrets(db: Db | Prisma.TransactionClient, installationId: string): Promise<Record<string, string>> {
  const rows = await db.installationSecret.findMany({ where: { installationId }, select: { key: true, ciphertext: true, keyId: true }, orderBy: { key: "asc" } });
  const key = getSecretsKey();
  const out: Record<string, string> = {};
  for (const row of rows) {
    const value = decryptSecret(key, { installationId, name: row.key }, row);
    registerLogSecret(value);
    out[row.key] = value;
  }
  return out;
}
