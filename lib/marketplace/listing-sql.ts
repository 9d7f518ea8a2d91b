// SQL fragments shared by the marketplace reads, so "which version represents a
// capability" and "who may see it" are written once. Kept in step with
// lib/registry/version-order.ts (listingVersion) and capability-access.ts.

/** ORDER BY of a capability's versions, best listing candidate first (alias `v`). */
export const LISTING_VERSION_ORDER = `(v.visibility = 'public' AND v.review_state = 'approved' AND v.status <> 'yanked') DESC,
  (v.status <> 'yanked') DESC, v.major DESC, v.minor DESC, v.patch DESC, (v.prerelease = '') DESC, v.prerelease DESC, v.published_at DESC`;

/** The search document, spelled exactly as the GIN expression index (alias `c`). */
export const SEARCH_DOCUMENT = `capreg_capability_document(c.name, c.slug, c.summary, c.tags, c.description)`;

export const NETWORK_PERMISSIONS = ["network.http.get", "network.http.post", "network.websocket"];
