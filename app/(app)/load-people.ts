// Names for the user ids that appear as actors in the audit log, so the timeline can say
// "Ada Lovelace" rather than usr_01m7…. Only id, name and email leave the server.
import "server-only";
import type { PeopleDirectory } from "@/components/events/event-format";
import type { Db } from "@/lib/db/prisma";

export async function loadPeople(db: Db): Promise<PeopleDirectory> {
  const users = await db.user.findMany({ select: { id: true, name: true, email: true }, take: 1000, orderBy: { createdAt: "asc" } });
  return Object.fromEntries(users.map((u) => [u.id, { name: u.name, email: u.email }]));
}
