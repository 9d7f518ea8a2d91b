// The overview's audit-chain card: a full verification of the hash chain and signed
// checkpoints. An async server component rendered inside <Suspense>, so a long log only
// delays this card, never the page.
import Link from "next/link";
import { ShieldAlertIcon, ShieldCheckIcon } from "@/components/icons";
import { cx } from "@/components/ui/cx";
import { getPrisma } from "@/lib/db/prisma";
import { verifyChain } from "@/lib/events/verify-chain";
import { StatCard } from "./stat-card";

export async function ChainCard() {
  const chain = await verifyChain(getPrisma()).catch(() => null);
  return (
    <StatCard
      label="Audit chain"
      icon={chain && !chain.ok ? <ShieldAlertIcon className="size-4" /> : <ShieldCheckIcon className="size-4" />}
      testId="chain-card"
      value={
        chain ? (
          <span className={cx("text-[15px] font-semibold", chain.ok ? "text-success" : "text-danger")}>
            {chain.ok ? `Verified up to #${chain.headSeq}` : `Broken at #${chain.firstBrokenSeq}`}
          </span>
        ) : (
          <span className="text-[15px] font-semibold text-warning">Could not verify</span>
        )
      }
      lines={
        chain
          ? [
              ["Events rehashed", String(chain.checked)],
              ["Signed checkpoints", chain.checkpoints.lastSeq ? `${chain.checkpoints.checked}, last at #${chain.checkpoints.lastSeq}` : "none yet"],
              ["Signing key", chain.checkpoints.keyId],
              ["Head hash", `${chain.headHash.slice(0, 16)}…`],
            ]
          : [["Status", "verification failed; see the server log"]]
      }
      footer={
        <Link href="/timeline" className="text-[12.5px] font-medium text-accent hover:underline">
          Open the timeline →
        </Link>
      }
    />
  );
}
