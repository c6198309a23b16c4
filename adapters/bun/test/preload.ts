// Preloaded into each worker by the `preload` option test: leaves a mark the tasks can read.
(globalThis as { poolPreloaded?: string }).poolPreloaded = 'yes';
