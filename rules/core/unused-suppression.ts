/** core/unused-suppression: the engine reports it itself; its definition lives there (src/engine/unused-suppression.ts). */
export { unusedSuppressionRule as default } from '../../src/engine/unused-suppression.js';
