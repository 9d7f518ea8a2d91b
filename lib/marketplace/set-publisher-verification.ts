// Grants or revokes the verified-publisher badge (admins), shown on everything the user
// publishes. No change, no event.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { forbidden, notFound } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import type { Viewer } from "../registry/capability-access";

export const SetPublisherVerificationSchema = z.object({ verified: z.boolean() });

export interface SetPublisherVerificationOptions {
  userId: string;
  verified: boolean;
  viewer: Viewer;
  actor: Actor;
  correlationId?: string;
}

export async function setPublisherVerification(db: Db, options: SetPublisherVerificationOptions): Promise<{ id: string; name: string; verified: boolean }> {
  if (options.viewer.role !== "admin") throw forbidden("only admins verify publishers");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId }, select: { id: true, name: true, isVerifiedPublisher: true } });
    if (!user) throw notFound("user");
    if (user.isVerifiedPublisher === options.verified) return { id: user.id, name: user.name, verified: user.isVerifiedPublisher };
    await tx.user.update({ where: { id: user.id }, data: { isVerifiedPublisher: options.verified } });
    await appendEvent(tx, {
      type: "publisher.verification_changed",
      data: { userId: user.id, verified: options.verified },
      stream: { type: "user", id: user.id },
      subject: { type: "user", id: user.id },
      actor: options.actor,
      correlationId: options.correlationId,
    });
    return { id: user.id, name: user.name, verified: options.verified };
  });
}
