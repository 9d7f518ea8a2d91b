"use client";
// The signed-in person: who they are, their role, theme and sign-out. A disclosure
// (button + panel) that closes on Escape, outside clicks and navigation.
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { signOut } from "@/components/api/auth-client";
import { ChevronsUpDownIcon, KeyIcon, LogOutIcon, SettingsIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { Spinner } from "@/components/ui/spinner";
import { ThemeToggle } from "./theme-toggle";

export interface ShellUser {
  email: string;
  name: string;
  role: "admin" | "member";
}

export function initials(name: string, email: string): string {
  const words = (name || email).replace(/@.*/, "").split(/[\s._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? "?") + (words[1]?.[0] ?? "")).toUpperCase();
}

export function Avatar({ name, email, className }: { name: string; email: string; className?: string }) {
  return (
    <span aria-hidden className={cx("grid size-7 shrink-0 place-items-center rounded-full bg-gradient-to-br from-accent to-security text-[11px] font-semibold text-white", className)}>
      {initials(name, email)}
    </span>
  );
}

export function UserMenu({ user }: { user: ShellUser }) {
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-1.5 text-left transition-colors hover:bg-surface-2 aria-expanded:bg-surface-2"
        data-testid="user-menu-button"
      >
        <Avatar name={user.name} email={user.email} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-[13px] font-medium text-fg">{user.name || user.email}</span>
          <span className="block truncate text-[11.5px] text-fg-subtle">{user.email}</span>
        </span>
        <ChevronsUpDownIcon className="size-3.5 shrink-0 text-fg-subtle" />
      </button>
      {open && (
        <div
          id={panelId}
          className="absolute bottom-full left-0 z-40 mb-2 w-64 animate-fade-in rounded-xl border border-border bg-surface p-1.5 shadow-pop"
        >
          <div className="px-2.5 pt-1.5 pb-2.5">
            <div className="flex items-center justify-between gap-2">
              <p className="truncate text-[13px] font-medium text-fg" data-testid="user-menu-email">
                {user.email}
              </p>
              <Badge tone={user.role === "admin" ? "accent" : "neutral"}>{user.role === "admin" ? "Admin" : "Member"}</Badge>
            </div>
            <p className="mt-0.5 truncate text-xs text-fg-subtle">{user.name}</p>
          </div>
          <div className="border-t border-border px-2.5 py-2.5">
            <p className="mb-1.5 text-[11.5px] font-medium text-fg-subtle">Theme</p>
            <ThemeToggle className="w-full" />
          </div>
          <div className="border-t border-border pt-1.5">
            <MenuLink href="/settings" onClick={() => setOpen(false)} icon={<SettingsIcon className="size-4" />}>
              Settings
            </MenuLink>
            <MenuLink href="/settings/tokens" onClick={() => setOpen(false)} icon={<KeyIcon className="size-4" />}>
              API tokens
            </MenuLink>
            <button
              type="button"
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                void signOut();
              }}
              className="flex h-8 w-full items-center gap-2.5 rounded-md px-2.5 text-[13px] text-fg-muted hover:bg-surface-2 hover:text-fg"
            >
              {signingOut ? <Spinner className="size-4" /> : <LogOutIcon className="size-4" />}
              Sign out
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function MenuLink({ href, icon, children, onClick }: { href: string; icon: React.ReactNode; children: React.ReactNode; onClick: () => void }) {
  return (
    <Link href={href} onClick={onClick} className="flex h-8 items-center gap-2.5 rounded-md px-2.5 text-[13px] text-fg-muted hover:bg-surface-2 hover:text-fg">
      {icon}
      {children}
    </Link>
  );
}
