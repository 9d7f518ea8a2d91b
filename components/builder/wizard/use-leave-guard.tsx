"use client";
// Asks before leaving with unsaved changes: the browser's own prompt on unload/reload
// (beforeunload), and our confirm dialog for in-app links (a capturing click listener that
// stops the navigation before the router sees it), for the wizard's own navigations and
// for the Back button. Back: once there are unsaved changes, a copy of the page's history
// entry (the guard) is pushed on top of it; leaving the guard by Back lands on the same
// page, where a capturing popstate listener (it runs before the router's) keeps the router
// out of it, returns to the guard with history.forward() and asks. Leave then goes two
// entries back; with nothing unsaved any more, the same Back just continues to the page
// before, so the guard never costs an extra press. A link followed while the guard is on
// top replaces it rather than stacking on it.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** The pending navigation is the Back button's. */
const BACK = "\u0000back";

export function useLeaveGuard(dirty: boolean) {
  const router = useRouter();
  const dirtyRef = useRef(dirty);
  const allowRef = useRef(false);
  const [pending, setPending] = useState<string | null>(null);
  /** A guard entry sits on top of this page's own history entry. */
  const guardRef = useRef(false);
  /** The next popstate is our own history.forward() back onto the guard. */
  const returningRef = useRef(false);
  useEffect(() => {
    dirtyRef.current = dirty;
  });

  useEffect(() => {
    if (!dirty || guardRef.current || allowRef.current) return;
    // Next's history state (its tree) is copied along, so the router treats the guard as this page.
    window.history.pushState(window.history.state, "", window.location.href);
    guardRef.current = true;
  }, [dirty]);

  /** Goes without asking: Back goes past the guard; a link replaces the guard instead of stacking on it. */
  const leaveTo = useCallback(
    (href: string) => {
      allowRef.current = true;
      if (href === BACK) {
        guardRef.current = false;
        window.history.go(-2);
      } else if (guardRef.current) {
        guardRef.current = false;
        router.replace(href);
      } else router.push(href);
    },
    [router],
  );

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current || allowRef.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if ((!dirtyRef.current && !guardRef.current) || allowRef.current || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin) return;
      if (url.pathname === location.pathname && url.search === location.search) return;
      e.preventDefault();
      e.stopPropagation();
      const href = url.pathname + url.search + url.hash;
      if (dirtyRef.current) setPending(href);
      else leaveTo(href);
    };
    const onPopState = (e: PopStateEvent) => {
      if (returningRef.current) {
        // Our own forward() onto the guard: the page never changed.
        returningRef.current = false;
        e.stopImmediatePropagation();
        guardRef.current = true;
        return;
      }
      if (!guardRef.current) return;
      // Back from the guard: this page's own entry. The router must not see it.
      guardRef.current = false;
      e.stopImmediatePropagation();
      if (allowRef.current || !dirtyRef.current) {
        window.history.back();
        return;
      }
      returningRef.current = true;
      window.history.forward();
      setPending(BACK);
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    window.addEventListener("popstate", onPopState, true);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      window.removeEventListener("popstate", onPopState, true);
      document.removeEventListener("click", onClick, true);
    };
  }, [leaveTo]);

  /** Navigate from code, asking first when there are unsaved changes. */
  const navigate = useCallback(
    (href: string) => {
      if (dirtyRef.current && !allowRef.current) setPending(href);
      else leaveTo(href);
    },
    [leaveTo],
  );
  /** Lets the next navigation through without asking (e.g. after publishing). */
  const allowLeaving = useCallback(() => {
    allowRef.current = true;
  }, []);

  const dialog = (
    <Dialog
      open={pending !== null}
      onClose={() => setPending(null)}
      title="Leave with unsaved changes?"
      description="Your latest changes have not been saved yet. If you leave now they are lost."
      size="sm"
      data-testid="leave-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={() => setPending(null)} autoFocus>
            Stay
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              const href = pending;
              setPending(null);
              if (href) leaveTo(href);
            }}
          >
            Leave
          </Button>
        </>
      }
    />
  );
  return { navigate, allowLeaving, dialog };
}
