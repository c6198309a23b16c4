import { adapterBuild } from '../../tsup.adapter.js';

// No shared chunk: the child would load it as a second file of its own (`wire.ts` is small).
export default { ...adapterBuild(true), splitting: false };
