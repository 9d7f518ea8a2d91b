"use client";
// Light / dark / system switch. The choice is stored in localStorage; "system" follows the
// OS setting live. The class on <html> was already set before paint by THEME_SCRIPT.
import { useEffect, useSyncExternalStore } from "react";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/icons";
import { cx } from "@/components/ui/cx";
import { THEME_STORAGE_KEY, type ThemePreference } from "./theme-script";

const CHANGE_EVENT = "capreg-theme-change";

function readPreference(): ThemePreference {
  const t = document.documentElement.dataset.theme;
  return t === "light" || t === "dark" ? t : "system";
}

function applyPreference(pref: ThemePreference) {
  const dark = pref === "dark" || (pref === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.dataset.theme = pref;
}

export function setThemePreference(pref: ThemePreference) {
  try {
    if (pref === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, pref);
  } catch {
    // storage may be unavailable (private mode); the theme still applies for this page
  }
  applyPreference(pref);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

function subscribe(cb: () => void) {
  window.addEventListener(CHANGE_EVENT, cb);
  return () => window.removeEventListener(CHANGE_EVENT, cb);
}

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribe, readPreference, () => "system");
}

/** Keeps "system" in step with the OS and other tabs. Mounted once in the root layout. */
export function ThemeWatcher() {
  useEffect(() => {
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const onMedia = () => {
      if (readPreference() === "system") applyPreference("system");
    };
    const onStorage = (e: StorageEvent) => {
      if (e.key !== THEME_STORAGE_KEY) return;
      const v = e.newValue === "light" || e.newValue === "dark" ? e.newValue : "system";
      applyPreference(v);
      window.dispatchEvent(new Event(CHANGE_EVENT));
    };
    media.addEventListener("change", onMedia);
    window.addEventListener("storage", onStorage);
    return () => {
      media.removeEventListener("change", onMedia);
      window.removeEventListener("storage", onStorage);
    };
  }, []);
  return null;
}

const OPTIONS: { value: ThemePreference; label: string; Icon: typeof SunIcon }[] = [
  { value: "light", label: "Light", Icon: SunIcon },
  { value: "dark", label: "Dark", Icon: MoonIcon },
  { value: "system", label: "System", Icon: MonitorIcon },
];

export function ThemeToggle({ className }: { className?: string }) {
  const pref = useThemePreference();
  return (
    <div role="radiogroup" aria-label="Theme" className={cx("inline-flex rounded-lg border border-border bg-surface-2 p-0.5", className)}>
      {OPTIONS.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={pref === value}
          title={label}
          onClick={() => setThemePreference(value)}
          className={cx(
            "inline-flex h-6 flex-1 items-center justify-center gap-1.5 rounded-md px-2 text-xs font-medium transition-colors",
            pref === value ? "bg-surface text-fg shadow-card ring-1 ring-border" : "text-fg-muted hover:text-fg",
          )}
        >
          <Icon className="size-3.5" />
          <span>{label}</span>
        </button>
      ))}
    </div>
  );
}
