// Creates an account and its user.created event in one transaction.
import type { Db } from "../db/prisma";
import { conflict } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import { hashPassword } from "./password";

export interface CreateUserOptions {
  email: string;
  name: string;
  password: string;
  role: "admin" | "member";
  via: "seed" | "signup" | "admin";
  actor: Actor;
  correlationId?: string;
}

export async function createUser(db: Db, o: CreateUserOptions): Promise<{ id: string; email: string; name: string; role: "admin" | "member" }> {
  const email = o.email.trim().toLowerCase();
  const passwordHash = await hashPassword(o.password);
  const id = newId("usr");
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { id, email, name: o.name.trim(), passwordHash, role: o.role }, select: { id: true, email: true, name: true, role: true } });
      await appendEvent(tx, {
        type: "user.created",
        data: { email, role: o.role, via: o.via },
        stream: { type: "user", id },
        subject: { type: "user", id },
        actor: o.actor.type === "system" && o.via === "signup" ? { type: "user", id } : o.actor,
        correlationId: o.correlationId,
      });
      return user;
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflict("an account with this email exists");
    throw err;
  }
}
