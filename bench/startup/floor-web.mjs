import { inc } from './probe.mjs';
self.onmessage = (e) => self.postMessage(inc(e.data));
