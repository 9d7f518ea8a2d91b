import type { ReactNode } from "react";
import { Brand } from "@/components/shell/brand";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="relative flex min-h-dvh flex-col items-center justify-center overflow-hidden px-4 py-12">
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 bg-[radial-gradient(ellipse_60%_40%_at_50%_0%,var(--accent-soft),transparent)]"
      />
      <div
        aria-hidden
        className="pointer-events-none absolute inset-0 [mask-image:radial-gradient(ellipse_50%_50%_at_50%_30%,black,transparent)] bg-[linear-gradient(to_right,var(--border)_1px,transparent_1px),linear-gradient(to_bottom,var(--border)_1px,transparent_1px)] bg-[size:32px_32px] opacity-60"
      />
      <div className="relative w-full max-w-[400px]">
        <div className="mb-8 flex justify-center">
          <Brand />
        </div>
        <main>{children}</main>
        <p className="mt-8 text-center text-xs text-fg-subtle">Every sign-in is recorded in the organisation&apos;s audit log.</p>
      </div>
    </div>
  );
}
