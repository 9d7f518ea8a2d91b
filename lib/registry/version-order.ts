// Ordering of a capability's versions by semver, and which version represents it: the
// highest listed one (public, approved, not yanked) when there is one, else the highest
// not yanked, else the highest. Pure.
import semver from "semver";

export interface VersionLike {
  version: string;
  visibility: string;
  reviewState: string;
  status: string;
}

export const isListedVersion = (v: VersionLike) => v.visibility === "public" && v.reviewState === "approved" && v.status !== "yanked";

/** Highest first. */
export function sortVersionsDesc<T extends { version: string }>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => semver.rcompare(a.version, b.version));
}

export function highestVersion<T extends { version: string }>(versions: readonly T[]): T | undefined {
  return sortVersionsDesc(versions)[0];
}

/** The version a listing shows: what the public sees when it is listed. */
export function listingVersion<T extends VersionLike>(versions: readonly T[]): T | undefined {
  return highestVersion(versions.filter(isListedVersion)) ?? highestVersion(versions.filter((v) => v.status !== "yanked")) ?? highestVersion(versions);
}

export function semverParts(version: string): { major: number; minor: number; patch: number; prerelease: string } {
  const v = semver.parse(version);
  if (!v) throw new Error(`not a semantic version: ${version}`);
  return { major: v.major, minor: v.minor, patch: v.patch, prerelease: v.prerelease.join(".") };
}
