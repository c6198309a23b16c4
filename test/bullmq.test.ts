/** The conformance suite on @pool/bullmq: real Redis, three real pool-worker hosts (bullmq.setup.ts). */
import { bullmq } from '@pool/bullmq';
import { describe, expect, inject, it } from 'vitest';
import { conformance, harness } from './conformance/suite.js';

const connection = inject('redisUrl');
conformance(harness({
  name: 'bullmq',
  adapter: () => bullmq({ connection, group: 'conformance', heartbeat: 250, unavailableTimeout: 10_000 }),
  describe, it, expect,
  // Every unit is a Redis round trip (milliseconds): the leak case runs a twentieth of its workload.
  scale: 0.05,
}));
