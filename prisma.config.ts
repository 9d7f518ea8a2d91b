// Prisma CLI configuration. The app never relies on the CLI at run time: migrations are
// applied by lib/db/migrate.ts, which records _prisma_migrations exactly as Prisma does.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/capreg" },
});
