/**
 * `@cutout/core/launch`, the CLI's first module (bin/cutout.js) and the
 * GitHub Action's: only what deciding on a relaunch with huge pages needs, so
 * that a relaunching process stays light.
 */
export {
  choosesHugePages,
  followLauncher,
  HUGE_PAGE_TUNABLE,
  HUGE_PAGES_SWITCH,
  relaunchWithHugePages,
  thpMode,
} from "../node/huge-pages.js";
