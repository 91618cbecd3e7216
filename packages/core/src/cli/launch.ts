// The CLI's first module (bin/cutout.js): only what deciding on a relaunch needs, so that a
// relaunching process stays light.
export { followLauncher, relaunchWithHugePages } from "../node/huge-pages.js";
