// The secret that signs session JWTs and derives the database app role's password:
// AUTH_SECRET, or one generated once into DATA_DIR/auth-secret (0600).
import { readOrCreateSecretFile, randomSecret } from "../data-dir";
import { getEnv } from "../env";

export function getAuthSecret(): string {
  return getEnv().AUTH_SECRET ?? readOrCreateSecretFile("auth-secret", () => randomSecret(32)).value;
}
