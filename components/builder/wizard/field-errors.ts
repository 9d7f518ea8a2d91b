// Looking up the manifest problems that belong to one form field, and focusing the field a
// problem names (inputs carry `data-path` with the manifest path they edit).
export type Problem = { path: string; message: string; nodeId?: string };

/** The first message whose path is `path` or lies under it. */
export function errorAt(errors: readonly Problem[], path: string): string | undefined {
  return errors.find((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))?.message;
}

/** Focuses the control for `path`, or the nearest one for an ancestor path; true when found. */
export function focusPath(path: string): boolean {
  let p = path;
  for (;;) {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el) {
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      el.focus({ preventScroll: true });
      return true;
    }
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return false;
    p = p.slice(0, cut);
  }
}
