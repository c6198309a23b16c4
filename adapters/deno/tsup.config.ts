import { adapterBuild } from '../../tsup.adapter.js';

export default adapterBuild(false);
