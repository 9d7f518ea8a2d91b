"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "./cx";

/** Tabs that are links (each tab is its own URL), with the current one marked. */
export function TabsNav({ tabs, label }: { tabs: { href: string; label: string }[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="border-b border-border">
      <ul className="-mb-px flex gap-5">
        {tabs.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={cx(
                  "inline-flex h-10 items-center border-b-2 text-[13.5px] font-medium transition-colors",
                  current ? "border-accent text-fg" : "border-transparent text-fg-muted hover:border-border-strong hover:text-fg",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
