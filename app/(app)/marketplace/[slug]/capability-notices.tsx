"use client";
// Banners above the tabs: a version waiting for review (admins decide right here), a
// rejection and its reason, a yanked or deprecated version, an older version than the
// latest, and an unpublished draft its owner can publish.
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { CapabilityDetail } from "@/lib/marketplace/get-capability-detail";
import { PublishDialog } from "./publish-dialog";
import { ReviewDecision } from "./review-decision";

export function CapabilityNotices({ detail, onChanged, onShowVersions }: { detail: CapabilityDetail; onChanged: () => void; onShowVersions: () => void }) {
  const [publishing, setPublishing] = useState(false);
  const v = detail.version;
  const inReview = detail.versions.filter((x) => x.reviewState === "in_review");
  const notices: React.ReactNode[] = [];

  for (const r of inReview) {
    notices.push(
      detail.viewer.isAdmin ? (
        <Alert key={`review-${r.version}`} tone="warning" title={`Version ${r.version} is waiting for review`} action={<ReviewDecision slug={detail.slug} version={r.version} onDecided={onChanged} />} data-testid="review-notice">
          Public versions are listed only after an admin approves them. Check its permissions and security report first.{" "}
          <button type="button" className="font-medium text-accent hover:underline" onClick={onShowVersions}>
            See versions
          </button>
        </Alert>
      ) : detail.viewer.canEdit ? (
        <Alert key={`review-${r.version}`} tone="info" title={`Version ${r.version} is waiting for an admin's review`} data-testid="review-notice">
          It is not listed in the marketplace until it is approved. You can install it yourself meanwhile.
        </Alert>
      ) : null,
    );
  }
  if (v?.reviewState === "rejected") {
    notices.push(
      <Alert key="rejected" tone="danger" title={`Version ${v.version} was rejected`}>
        {v.reviewComment ? `Reason: ${v.reviewComment}` : "No reason was given."} Publish a fixed version to submit it again.
      </Alert>,
    );
  }
  if (v?.status === "yanked") {
    notices.push(
      <Alert key="yanked" tone="danger" title={`Version ${v.version} was yanked`}>
        It cannot be installed any more. Agents that already have it keep working and are flagged.
        {detail.latestVersion && detail.latestVersion !== v.version && (
          <>
            {" "}
            <Link className="font-medium text-accent hover:underline" href={`/marketplace/${detail.slug}?version=${detail.latestVersion}`}>
              Go to {detail.latestVersion}
            </Link>
          </>
        )}
      </Alert>,
    );
  } else if (v?.status === "deprecated") {
    notices.push(
      <Alert key="deprecated" tone="warning" title={`Version ${v.version} is deprecated`}>
        It still installs, but its publisher recommends another version.
        {detail.latestVersion && detail.latestVersion !== v.version && (
          <>
            {" "}
            <Link className="font-medium text-accent hover:underline" href={`/marketplace/${detail.slug}?version=${detail.latestVersion}`}>
              Go to {detail.latestVersion}
            </Link>
          </>
        )}
      </Alert>,
    );
  } else if (v && detail.latestVersion && v.version !== detail.latestVersion && v.reviewState !== "in_review") {
    notices.push(
      <Alert key="older" tone="info" title={`You are looking at version ${v.version}`}>
        The version the marketplace lists is {detail.latestVersion}.{" "}
        <Link className="font-medium text-accent hover:underline" href={`/marketplace/${detail.slug}`}>
          Show it
        </Link>
      </Alert>,
    );
  }
  if (detail.draft && detail.viewer.canEdit) {
    notices.push(
      <Alert
        key="draft"
        tone="info"
        title={v ? `Unpublished changes (draft ${detail.draft.version})` : `Draft ${detail.draft.version}: not published yet`}
        action={
          <Button size="sm" variant="primary" onClick={() => setPublishing(true)} data-testid="publish-button">
            Publish…
          </Button>
        }
        data-testid="draft-notice"
      >
        {v ? "The page shows the latest published version; the draft becomes visible once you publish it." : "Only you and admins can see this page. Publish a version to install it or list it in the marketplace."}
      </Alert>,
    );
  }

  const shown = notices.filter(Boolean);
  return (
    <>
      {shown.length > 0 && <div className="mt-5 space-y-2">{shown}</div>}
      {detail.draft && <PublishDialog open={publishing} onClose={() => setPublishing(false)} slug={detail.slug} draftVersion={detail.draft.version} onPublished={onChanged} />}
    </>
  );
}
