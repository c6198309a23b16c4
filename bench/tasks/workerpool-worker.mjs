// workerpool's worker script (thread and process mode) registering the shared tasks.
import workerpool from 'workerpool';
import * as tasks from './tasks.mjs';

workerpool.worker({ ...tasks });
