// The suite's release facts, read from the root package.json, the one place
// they are set: the version every artifact carries, the GitHub repository of
// the source (npm's provenance checks each package's `repository` against the
// repository that built it), and the repository the GitHub Action's release
// trees are pushed to (what users write in `uses:`).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

const root = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** `owner/name` from a GitHub repository URL (`git+https://github.com/owner/name.git`). */
function githubSlug(url) {
  const match = /github\.com[/:]([^/]+\/[^/]+?)(\.git)?$/.exec(url ?? "");
  if (!match) throw new Error(`package.json: repository.url '${url}' is not a GitHub repository`);
  return match[1];
}

export const SUITE = {
  version: root.version,
  /** `owner/name` of the source repository. */
  repository: githubSlug(root.repository?.url),
  /** `owner/name` of the repository that holds the Action's release trees: `uses: <this>@<movingTag>`. */
  actionRepository: root.cutout?.actionRepository,
  license: root.license,
};

/** `x.y.z`, or a pre-release `x.y.z-rc.1`. */
export function isVersion(text) {
  return /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(text ?? "");
}

if (!isVersion(SUITE.version)) throw new Error(`package.json: version '${SUITE.version}' is not x.y.z`);
if (!/^[^/\s]+\/[^/\s]+$/.test(SUITE.actionRepository ?? "")) throw new Error("package.json: cutout.actionRepository must be owner/name");

/**
 * The tag that follows the newest compatible release: `v1` for 1.4.2; `v0.1`
 * for 0.1.3, as in 0.x semver the minor is the breaking part. Pre-releases move nothing.
 */
export function movingTag(version) {
  if (version.includes("-")) return undefined;
  const [major, minor] = version.split(".");
  return major === "0" ? `v0.${minor}` : `v${major}`;
}
