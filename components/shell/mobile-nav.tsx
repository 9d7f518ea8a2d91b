"use client";
import Link from "next/link";
import { useState } from "react";
import { MenuIcon } from "@/components/icons";
import { Dialog } from "@/components/ui/dialog";
import { useApprovalCount } from "./approval-live";
import { Brand } from "./brand";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu, type ShellUser } from "./user-menu";

/** The top bar and slide-in navigation used below the lg breakpoint. */
export function MobileNav({ user }: { user: ShellUser }) {
  const [open, setOpen] = useState(false);
  const { pending } = useApprovalCount();
  return (
    <div className="sticky top-0 z-30 flex h-14 items-center justify-between border-b border-border bg-surface/90 px-4 backdrop-blur lg:hidden">
      <Link href="/" aria-label="Capability Registry home">
        <Brand />
      </Link>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={pending ? `Open navigation (${pending} pending approval${pending === 1 ? "" : "s"})` : "Open navigation"}
        className="relative grid size-9 place-items-center rounded-lg text-fg-muted hover:bg-surface-2 hover:text-fg"
      >
        <MenuIcon className="size-5" />
        {!!pending && <span aria-hidden className="absolute top-1.5 right-1.5 size-2 rounded-full bg-accent ring-2 ring-surface" />}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Navigation" variant="drawer-left">
        <div className="flex h-full flex-col gap-4">
          <SidebarNav section="primary" label="Main" onNavigate={() => setOpen(false)} />
          <SidebarNav section="secondary" label="Account" onNavigate={() => setOpen(false)} />
          <div className="mt-auto">
            <UserMenu user={user} />
          </div>
        </div>
      </Dialog>
    </div>
  );
}
