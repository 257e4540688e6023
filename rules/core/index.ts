import config from './config.js';
import parseError from './parse-error.js';
import unusedSuppression from './unused-suppression.js';

export const coreRules = [parseError, config, unusedSuppression];
