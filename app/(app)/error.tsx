"use client";
import { AlertIcon } from "@/components/icons";
import { Button, LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      className="py-24"
      icon={<AlertIcon />}
      title="This page could not be loaded"
      description={`Something went wrong on our side.${error.digest ? ` Reference: ${error.digest}.` : ""} Try again, and if it keeps happening, tell an administrator.`}
      actions={
        <>
          <Button variant="primary" onClick={reset}>
            Try again
          </Button>
          <LinkButton href="/">Go to overview</LinkButton>
        </>
      }
    />
  );
}
