// `npm run db:migrate`: applies pending migrations (DATABASE_URL, or the embedded database).
import { getAuthSecret } from "../lib/auth/auth-secret";
import { bootDatabase } from "../lib/db/boot";

bootDatabase({ secret: getAuthSecret(), log: (l) => console.log(l) })
  .then((db) => db.stop())
  .catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
