// `npm run audit:verify`: verifies the hash chain and the signed checkpoints from the
// shell. Exit 0 when intact, 1 when broken (naming the first broken seq), 2 on error.
// Uses DATABASE_URL when set, or starts the embedded database under DATA_DIR.
import { getAuthSecret } from "../lib/auth/auth-secret";
import { bootDatabase } from "../lib/db/boot";
import { createPrismaClient } from "../lib/db/prisma";
import { verifyChain } from "../lib/events/verify-chain";

async function main(): Promise<number> {
  const database = await bootDatabase({ secret: getAuthSecret(), log: () => {} });
  const db = createPrismaClient(database.appUrl, 2);
  try {
    const started = performance.now();
    const result = await verifyChain(db);
    const ms = Math.round(performance.now() - started);
    if (process.argv.includes("--json")) console.log(JSON.stringify(result));
    else if (result.ok) {
      console.log(`audit log intact: ${result.checked} events, head seq ${result.headSeq} (${result.headHash.slice(0, 16)}…), ${result.checkpoints.checked} signed checkpoints verified (key ${result.checkpoints.keyId}) in ${ms} ms`);
    } else {
      console.error(`audit log BROKEN at seq ${result.firstBrokenSeq}: ${result.reason} (${result.checked} events verified before it)`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`audit verify failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
