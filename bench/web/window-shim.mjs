// For poolifier-web-worker 0.5.15 in a worker, which looks for `window` to know it is in a browser.
globalThis.window ??= globalThis;
