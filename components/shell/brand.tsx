import { cx } from "@/components/ui/cx";

export function BrandMark({ className }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 32 32" className={cx("size-7", className)}>
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M16 6.5 24.2 11v10L16 25.5 7.8 21V11z" fill="none" stroke="#fff" strokeOpacity="0.95" strokeWidth="2" strokeLinejoin="round" />
      <path d="M16 16v9.5M16 16l8.2-5M16 16 7.8 11" stroke="#fff" strokeOpacity="0.55" strokeWidth="2" strokeLinejoin="round" />
      <circle cx="16" cy="16" r="2.3" fill="#fff" />
    </svg>
  );
}

export function Brand({ className }: { className?: string }) {
  return (
    <span className={cx("flex items-center gap-2.5", className)}>
      <BrandMark />
      <span className="leading-tight">
        <span className="block text-[14px] font-semibold tracking-tight text-fg">Capability</span>
        <span className="block text-[11.5px] font-medium text-fg-subtle">Registry</span>
      </span>
    </span>
  );
}
