import buildSystem from './build-system.js';
import classifiers from './classifiers.js';
import dependencies from './dependencies.js';
import license from './license.js';
import metadata from './metadata.js';
import packageContents from './package-contents.js';
import readme from './readme.js';
import schema from './schema.js';
import siblingDependencies from './sibling-dependencies.js';
import stdlibName from './stdlib-name.js';
import uniqueNames from './unique-names.js';
import urls from './urls.js';

export const pyprojectRules = [
  buildSystem,
  schema,
  metadata,
  readme,
  dependencies,
  siblingDependencies,
  uniqueNames,
  stdlibName,
  packageContents,
  classifiers,
  urls,
  license,
];
