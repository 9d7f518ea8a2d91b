// Joins class names, skipping falsy ones. Tiny on purpose: no clsx/tailwind-merge dependency,
// so components order their classes so that a caller's className comes last.
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
