// The app connects as a least-privileged role: it may not UPDATE, DELETE or TRUNCATE the
// event log (the owner role that runs migrations may, which is why the triggers exist too).
import { createHmac } from "node:crypto";
import pg from "pg";

export interface EnsureAppRoleOptions {
  ownerUrl: string;
  /** Derives the role's password, so every instance sharing the secret computes the same. */
  secret: string;
  log?: (line: string) => void;
}

export interface AppRoleResult {
  appUrl: string;
  role: string;
  isLeastPrivilege: boolean;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function ensureAppRole({ ownerUrl, secret, log = () => {} }: EnsureAppRoleOptions): Promise<AppRoleResult> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const db: string = (await client.query("SELECT current_database() AS d")).rows[0].d;
    const role = `${db}_app`.slice(0, 63);
    const password = createHmac("sha256", secret).update(`capreg-db-app-role:${role}`).digest("base64url");
    try {
      await client.query("SELECT pg_advisory_lock(72707370)");
      const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
      const verb = exists.rowCount ? "ALTER" : "CREATE";
      await client.query(`${verb} ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${quoteLiteral(password)}`);
      const r = quoteIdent(role);
      await client.query(`GRANT CONNECT ON DATABASE ${quoteIdent(db)} TO ${r}`);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
      await client.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "events", "event_checkpoints" FROM ${r}`);
      await client.query(`REVOKE UPDATE, TRUNCATE ON "event_pending" FROM ${r}`);
      await client.query(`REVOKE ALL ON "_prisma_migrations" FROM ${r}`);
      await client.query(`GRANT SELECT ON "_prisma_migrations" TO ${r}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== "42501") throw err;
      log(`warning: ${ownerUrlUser(ownerUrl)} may not create roles; the app will use the owner connection (set DATABASE_APP_URL for a least-privileged role)`);
      return { appUrl: ownerUrl, role: ownerUrlUser(ownerUrl), isLeastPrivilege: false };
    } finally {
      await client.query("SELECT pg_advisory_unlock(72707370)").catch(() => {});
    }
    const url = new URL(ownerUrl);
    url.username = encodeURIComponent(role);
    url.password = encodeURIComponent(password);
    return { appUrl: url.toString(), role, isLeastPrivilege: true };
  } finally {
    await client.end();
  }
}

function ownerUrlUser(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || "the owner";
  } catch {
    return "the owner";
  }
}
