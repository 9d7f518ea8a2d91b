// The one Prisma client of a process (a global singleton, so Next's module reloading
// never opens a second pool). It connects as the app's least-privileged role.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { getEnv } from "../env";

export type Db = InstanceType<typeof PrismaClient>;
export type { Prisma } from "../generated/prisma/client";

const globalForPrisma = globalThis as unknown as { capregPrisma?: Db };

export function appDatabaseUrl(): string {
  const env = getEnv();
  const url = env.DATABASE_APP_URL ?? env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_APP_URL/DATABASE_URL is not set: start the app with `npm start`, which boots the database");
  return url;
}

export function createPrismaClient(connectionString: string, max = 10): Db {
  const adapter = new PrismaPg({ connectionString, max });
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiToken: { tokenHash: true }, installationSecret: { ciphertext: true } } }) as unknown as Db;
}

export function getPrisma(): Db {
  globalForPrisma.capregPrisma ??= createPrismaClient(appDatabaseUrl());
  return globalForPrisma.capregPrisma;
}
