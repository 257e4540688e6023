import buildSystem from './build-system.js';
import metadata from './metadata.js';

export const pyprojectRules = [buildSystem, metadata];
