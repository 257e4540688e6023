import actionlint from './actionlint.js';
import artifacts from './artifacts.js';
import permissions from './permissions.js';
import publishAction from './publish-action.js';
import publishMap from './publish-map.js';
import publishSteps from './publish-steps.js';
import pythonVersion from './python-version.js';
import releaseTrigger from './release-trigger.js';
import reusableContract from './reusable-contract.js';
import scmVersion from './scm-version.js';
import tagOverlap from './tag-overlap.js';
import tagVersion from './tag-version.js';
import trustedPublishing from './trusted-publishing.js';
import triggerReachability from './trigger-reachability.js';

export const workflowRules = [actionlint, publishMap, tagOverlap, tagVersion, releaseTrigger, triggerReachability, reusableContract, publishSteps, artifacts, publishAction, scmVersion, pythonVersion, trustedPublishing, permissions];
