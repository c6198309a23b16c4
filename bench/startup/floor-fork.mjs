import { inc } from './probe.mjs';
process.on('message', (m) => process.send(inc(m)));
