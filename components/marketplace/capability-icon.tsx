import { cx } from "@/components/ui/cx";

const SIZES = { sm: "size-8 text-base rounded-lg", md: "size-11 text-[22px] rounded-xl", lg: "size-16 text-[34px] rounded-2xl" };

/** A capability's icon (an emoji from its manifest) on a tile. */
export function CapabilityIcon({ icon, size = "md", className }: { icon: string; size?: keyof typeof SIZES; className?: string }) {
  return (
    <span aria-hidden className={cx("grid shrink-0 place-items-center border border-border bg-gradient-to-b from-surface to-surface-2 leading-none shadow-card select-none", SIZES[size], className)}>
      {icon || "🧩"}
    </span>
  );
}
