import { cx } from "@/components/ui/cx";

/** The check that admins grant to publishers they trust. */
export function VerifiedMark({ className }: { className?: string }) {
  return (
    <svg role="img" aria-label="Verified publisher" viewBox="0 0 24 24" className={cx("size-3.5 shrink-0 text-info", className)}>
      <title>Verified publisher</title>
      <path
        fill="currentColor"
        d="M12 1.5 14.6 3.4l3.2-.2.9 3.1 2.7 1.8-1 3.1 1 3.1-2.7 1.8-.9 3.1-3.2-.2L12 22.5 9.4 20.6l-3.2.2-.9-3.1-2.7-1.8 1-3.1-1-3.1 2.7-1.8.9-3.1 3.2.2Z"
      />
      <path d="m8.2 12.2 2.6 2.6 5-5.3" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function PublisherName({ name, verified, className }: { name: string; verified: boolean; className?: string }) {
  return (
    <span className={cx("inline-flex min-w-0 items-center gap-1", className)}>
      <span className="truncate">{name}</span>
      {verified && <VerifiedMark />}
    </span>
  );
}
