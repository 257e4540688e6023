import artifact from './artifact.js';
import build from './build.js';
import tag from './tag.js';
import tooling from './tooling.js';
import twineCheck from './twine-check.js';

/** Rules that only `pypi-release-lint gate` runs: they build the packages (meta.gateOnly). */
export const gateRules = [tooling, tag, build, twineCheck, artifact];
