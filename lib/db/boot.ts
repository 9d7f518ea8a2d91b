// Brings the database up for this process: the given server (DATABASE_URL) or an
// embedded one, migrations applied, and the least-privileged app role ready.
import { getDataDir } from "../data-dir";
import { getEnv } from "../env";
import { ensureAppRole } from "./app-role";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { migrate } from "./migrate";

export interface BootedDatabase {
  ownerUrl: string;
  appUrl: string;
  isEmbedded: boolean;
  isLeastPrivilege: boolean;
  stop(): Promise<void>;
}

export async function bootDatabase(options: { secret: string; log: (line: string) => void }): Promise<BootedDatabase> {
  const env = getEnv();
  let ownerUrl = env.DATABASE_URL;
  let stop = async () => {};
  if (!ownerUrl) {
    options.log("starting embedded PostgreSQL (DATABASE_URL is unset)");
    const embedded = await startEmbeddedPostgres({ dataDir: getDataDir(), port: env.EMBEDDED_PG_PORT });
    ownerUrl = embedded.url;
    stop = embedded.stop;
  }
  try {
    const result = await migrate(ownerUrl, { log: options.log });
    options.log(`migrations current (${result.applied.length} applied now, ${result.alreadyApplied.length} before)`);
    if (env.DATABASE_APP_URL) return { ownerUrl, appUrl: env.DATABASE_APP_URL, isEmbedded: !env.DATABASE_URL, isLeastPrivilege: true, stop };
    const role = await ensureAppRole({ ownerUrl, secret: options.secret, log: options.log });
    return { ownerUrl, appUrl: role.appUrl, isEmbedded: !env.DATABASE_URL, isLeastPrivilege: role.isLeastPrivilege, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
