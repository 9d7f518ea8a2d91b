"use client";
// Asks before leaving with unsaved changes: the browser's own prompt on unload/reload
// (beforeunload), and our confirm dialog for in-app links (a capturing click listener that
// stops the navigation before the router sees it) and for the wizard's own navigations.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export function useLeaveGuard(dirty: boolean) {
  const router = useRouter();
  const dirtyRef = useRef(dirty);
  const allowRef = useRef(false);
  const [pending, setPending] = useState<string | null>(null);
  useEffect(() => {
    dirtyRef.current = dirty;
  });

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current || allowRef.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if (!dirtyRef.current || allowRef.current || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin) return;
      if (url.pathname === location.pathname && url.search === location.search) return;
      e.preventDefault();
      e.stopPropagation();
      setPending(url.pathname + url.search + url.hash);
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, []);

  /** Navigate from code, asking first when there are unsaved changes. */
  const navigate = useCallback(
    (href: string) => {
      if (dirtyRef.current && !allowRef.current) setPending(href);
      else router.push(href);
    },
    [router],
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
              allowRef.current = true;
              if (href) router.push(href);
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
