// Every event type the log accepts, each with the zod schema of its data. An unknown type
// or data that does not match is a bug in the caller and is rejected at append time.
// Adding a type is one entry here. Pure: no I/O.
import { z } from "zod";

export const SEVERITIES = ["info", "warn", "error", "security"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ACTOR_TYPES = ["user", "agent", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

const scopes = z.array(z.string());

export const EVENT_TYPES = {
  "system.started": { severity: "info", schema: z.object({ version: z.string(), instance: z.string() }) },
  "user.created": {
    severity: "info",
    schema: z.object({ email: z.string(), role: z.string(), via: z.enum(["seed", "signup", "admin"]) }),
  },
  "user.signed_in": { severity: "info", schema: z.object({ email: z.string(), ip: z.string().nullable() }) },
  "user.sign_in_failed": {
    severity: "security",
    schema: z.object({ email: z.string(), ip: z.string().nullable(), reason: z.enum(["bad_credentials", "disabled", "rate_limited"]) }),
  },
  "user.role_changed": { severity: "security", schema: z.object({ from: z.string(), to: z.string() }) },
  "user.disabled_changed": { severity: "security", schema: z.object({ disabled: z.boolean() }) },
  "token.created": {
    severity: "security",
    schema: z.object({ name: z.string(), prefix: z.string(), scopes, expiresAt: z.string().nullable() }),
  },
  "token.revoked": { severity: "security", schema: z.object({ name: z.string(), prefix: z.string() }) },
  "setting.changed": { severity: "security", schema: z.object({ key: z.string(), from: z.unknown(), to: z.unknown() }) },
  "note.recorded": {
    severity: "info",
    schema: z.object({ message: z.string().max(4000), tags: z.array(z.string().max(64)).max(20).optional() }),
  },
} as const satisfies Record<string, { severity: Severity; schema: z.ZodType }>;

export type EventType = keyof typeof EVENT_TYPES;
export type EventData<T extends EventType> = z.input<(typeof EVENT_TYPES)[T]["schema"]>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}

export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
