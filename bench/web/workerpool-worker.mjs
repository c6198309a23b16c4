// workerpool's worker in the browser (a module worker): its UMD bundle, then the shared tasks.
import '../../node_modules/workerpool/dist/workerpool.js';
import * as tasks from '../tasks/tasks.mjs';

globalThis.workerpool.worker({ ...tasks });
