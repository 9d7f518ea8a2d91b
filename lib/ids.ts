// Opaque, prefixed, time-ordered ids: `<prefix>_<10 chars of time><16 chars of randomness>`
// in Crockford base32, so ids sort by creation and leak nothing but a timestamp.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export const ID_PREFIXES = ["usr", "tok", "evt", "cor", "req", "cap", "ver", "rev", "agt", "ins", "exe", "apr", "snp", "prv", "exr", "tsk", "shr", "drf"] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

function encodeTime(ms: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

export function newId(prefix: IdPrefix): string {
  const bytes = randomBytes(16);
  let rand = "";
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  return `${prefix}_${encodeTime(Date.now())}${rand}`;
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return new RegExp(`^${prefix}_[0-9a-z]{26}$`).test(id);
}
