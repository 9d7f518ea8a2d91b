// First-start data: the capability catalog and built-ins (published by the product's own
// publisher account), and the admin account (ADMIN_EMAIL/ADMIN_PASSWORD, or a generated
// password printed once and kept in DATA_DIR/admin-password with mode 0600).
import { existsSync } from "node:fs";
import path from "node:path";
import { getDataDir, readOrCreateSecretFile, randomSecret } from "../data-dir";
import { getEnv } from "../env";
import { AppError } from "../errors";
import { createUser } from "../auth/create-user";
import { publishSeedCatalog } from "../registry/publish-seed-catalog";
import type { Db } from "./prisma";

export interface SeedResult {
  adminEmail: string;
  /** Set only when the password was generated or given now and should be printed. */
  adminPassword?: string;
  passwordFile?: string;
  created: boolean;
}

export async function seedDatabase(db: Db): Promise<SeedResult> {
  await publishSeedCatalog(db);
  const env = getEnv();
  // Without ADMIN_EMAIL, an existing administrator is kept: a restart never adds another.
  const firstAdmin = env.ADMIN_EMAIL
    ? null
    : await db.user.findFirst({ where: { role: "admin", disabledAt: null }, orderBy: { createdAt: "asc" }, select: { email: true } });
  const email = (env.ADMIN_EMAIL ?? firstAdmin?.email ?? "admin@localhost").toLowerCase();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  const passwordFile = path.join(getDataDir(), "admin-password");
  if (existing) {
    return { adminEmail: email, created: false, passwordFile: !env.ADMIN_PASSWORD && existsSync(passwordFile) ? passwordFile : undefined };
  }
  let password = env.ADMIN_PASSWORD;
  if (!password) password = readOrCreateSecretFile("admin-password", () => randomSecret(18)).value;
  try {
    await createUser(db, {
      email,
      name: env.ADMIN_NAME ?? "Administrator",
      password,
      role: "admin",
      via: "seed",
      actor: { type: "system", id: null },
    });
  } catch (err) {
    // Another instance starting at the same moment created it.
    if (err instanceof AppError && err.code === "conflict") return { adminEmail: email, created: false };
    throw err;
  }
  return { adminEmail: email, adminPassword: password, created: true, passwordFile: env.ADMIN_PASSWORD ? undefined : passwordFile };
}
