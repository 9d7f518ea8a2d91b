// Where the app keeps what must survive restarts but never enters the database:
// the embedded cluster, generated secrets, the audit signing key. Files are 0600.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "./env";

export function getDataDir(): string {
  const dir = path.resolve(getEnv().DATA_DIR ?? ".data");
  if (!existsSync(/*turbopackIgnore: true*/ dir)) mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true, mode: 0o711 });
  return dir;
}

/** Reads a secret file, or creates it with `create()` (mode 0600) on first use. */
export function readOrCreateSecretFile(name: string, create: () => string): { value: string; created: boolean } {
  const file = path.join(getDataDir(), name);
  if (existsSync(/*turbopackIgnore: true*/ file)) return { value: readFileSync(/*turbopackIgnore: true*/ file, "utf8").trim(), created: false };
  const value = create();
  writeFileSync(/*turbopackIgnore: true*/ file, value + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(/*turbopackIgnore: true*/ file, 0o600);
  return { value, created: true };
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
