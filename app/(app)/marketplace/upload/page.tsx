import type { Metadata } from "next";
import { requireUser } from "../../get-current-user";
import { UploadView } from "./upload-view";

export const metadata: Metadata = { title: "Upload a capability · Marketplace" };

export default async function UploadPage() {
  await requireUser();
  return <UploadView />;
}
