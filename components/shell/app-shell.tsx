// The frame of every signed-in page: sidebar navigation (a top bar with a drawer on small
// screens), the user menu, and the page. Server component; the interactive parts are leaves.
// The approval live provider wraps everything so the nav badge and the pages share one stream.
import Link from "next/link";
import type { ReactNode } from "react";
import { ToastProvider } from "@/components/ui/toast";
import { ApprovalLiveProvider } from "./approval-live";
import { Brand } from "./brand";
import { MobileNav } from "./mobile-nav";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu, type ShellUser } from "./user-menu";

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <ToastProvider>
      <ApprovalLiveProvider>
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-sm text-accent-fg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
        >
          Skip to content
        </a>
        <div className="lg:grid lg:min-h-dvh lg:grid-cols-[240px_1fr]">
          <aside className="sticky top-0 z-30 hidden h-dvh flex-col border-r border-border bg-surface lg:flex">
            <div className="flex h-14 items-center px-4">
              <Link href="/" aria-label="Capability Registry home" className="rounded-lg">
                <Brand />
              </Link>
            </div>
            <div className="min-h-0 flex-1 overflow-y-auto px-3 pt-3">
              <SidebarNav section="primary" label="Main" />
            </div>
            {/* Outside the scrolling area, so the user menu's panel is not clipped by it. */}
            <div className="space-y-3 px-3 pt-3 pb-3">
              <SidebarNav section="secondary" label="Account" />
              <div className="border-t border-border pt-3">
                <UserMenu user={user} />
              </div>
            </div>
          </aside>
          <MobileNav user={user} />
          <main id="main" className="min-w-0">
            {children}
          </main>
        </div>
      </ApprovalLiveProvider>
    </ToastProvider>
  );
}
