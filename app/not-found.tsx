import { LinkButton } from "@/components/ui/button";
import { Brand } from "@/components/shell/brand";

export default function NotFound() {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center px-4 text-center">
      <Brand />
      <p className="mt-10 font-mono text-sm text-accent">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">This page does not exist</h1>
      <p className="mt-2 max-w-sm text-[13.5px] text-fg-muted">The link may be old, or the thing it pointed to was never created here.</p>
      <div className="mt-6 flex gap-2">
        <LinkButton href="/" variant="primary">Go to overview</LinkButton>
        <LinkButton href="/timeline">Open timeline</LinkButton>
      </div>
    </div>
  );
}
