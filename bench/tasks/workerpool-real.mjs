// workerpool's worker script for the real workloads.
import workerpool from 'workerpool';
import * as tasks from './real.mjs';

workerpool.worker({ ...tasks });
