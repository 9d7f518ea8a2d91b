// The Builder home: my drafts (newest first, with their method and when they were saved)
// and my capabilities (each with "New version"), or an empty state; "New capability"
// opens the wizard. Data is read through lib/ directly; the list is a client view.
import type { Metadata } from "next";
import { listDrafts } from "@/lib/builder/draft/list-drafts";
import { listMyCapabilities } from "@/lib/builder/publish/load-builder-capability";
import { getPrisma } from "@/lib/db/prisma";
import { requireUser } from "../get-current-user";
import { BuilderHomeView } from "./builder-home-view";

export const metadata: Metadata = { title: "Builder" };

export default async function BuilderPage() {
  const user = await requireUser();
  const db = getPrisma();
  const [drafts, capabilities] = await Promise.all([listDrafts(db, { userId: user.id }), listMyCapabilities(db, { userId: user.id })]);
  return <BuilderHomeView drafts={drafts.items} capabilities={capabilities} />;
}
