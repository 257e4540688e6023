import badgeTargets from './badge-targets.js';
import badges from './badges.js';
import installDocs from './install-docs.js';
import tagDocs from './tag-docs.js';

export const readmeRules = [badges, badgeTargets, installDocs, tagDocs];
