"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { useApprovalCount } from "./approval-live";
import { isActive, PRIMARY_NAV, SECONDARY_NAV } from "./nav-items";

// Takes the name of a nav list rather than the items: items hold icon components, which
// cannot cross from the server AppShell into this client component as props.
export function SidebarNav({ section, label, onNavigate }: { section: "primary" | "secondary"; label: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  const items = section === "primary" ? PRIMARY_NAV : SECONDARY_NAV;
  return (
    <nav aria-label={label}>
      <ul className="space-y-0.5">
        {items.map(({ href, label: text, Icon }) => {
          const active = isActive(pathname, href);
          return (
            <li key={href}>
              <Link
                href={href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "group flex h-8 items-center gap-2.5 rounded-lg px-2.5 text-[13.5px] font-medium transition-colors",
                  active ? "bg-accent-soft text-accent-soft-fg" : "text-fg-muted hover:bg-surface-2 hover:text-fg",
                )}
              >
                <Icon className={cx("size-[17px] shrink-0", active ? "text-accent" : "text-fg-subtle group-hover:text-fg-muted")} />
                {text}
                {href === "/approvals" && <ApprovalsBadge />}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The number of pending requests the viewer may decide, live; nothing when there are none. */
function ApprovalsBadge() {
  const { pending } = useApprovalCount();
  if (!pending) return null;
  return (
    <span
      data-testid="nav-approvals-badge"
      data-count={pending}
      aria-label={`${pending} pending approval${pending === 1 ? "" : "s"}`}
      className="ml-auto inline-flex h-[18px] min-w-[18px] items-center justify-center rounded-full bg-accent px-1.5 text-[11px] font-semibold text-accent-fg tabular-nums"
    >
      {pending > 99 ? "99+" : pending}
    </span>
  );
}
