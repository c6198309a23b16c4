// The floors' "pool": nothing but the channel. Calls go round-robin to n channels at once
// (no limit in flight, no scheduling, no ids, no result objects, no errors): each channel
// answers in order, so a FIFO of resolvers per channel is all the bookkeeping there is.
// This is the channel's own capacity, the bare postMessage ping-pong of issue 6.
// `oneInFlight: true` gives the other reference: one task at a time per worker, as Python's
// (and @pool's) contract has it, so throughput is bounded by the round trip.
import { opCodes } from './ops.mjs';

/** channels: [{ send(message), listen(onResult) }] */
export function bareChannels(channels, { oneInFlight = false } = {}) {
  return oneInFlight ? oneAtATime(channels) : roundRobin(channels);
}

function roundRobin(channels) {
  const waiting = channels.map(() => ({ items: [], head: 0 }));
  channels.forEach((channel, i) => {
    const fifo = waiting[i];
    channel.listen((value) => {
      const resolve = fifo.items[fifo.head];
      fifo.items[fifo.head++] = undefined;
      if (fifo.head === fifo.items.length) (fifo.items = []), (fifo.head = 0);
      resolve(value);
    });
  });
  let next = 0;
  return (task, arg) =>
    new Promise((resolve) => {
      const i = next;
      next = (next + 1) % channels.length;
      waiting[i].items.push(resolve);
      channels[i].send([opCodes[task], arg]);
    });
}

function oneAtATime(channels) {
  const current = new Array(channels.length).fill(null);
  const idle = [];
  let queue = [];
  let head = 0;
  channels.forEach((channel, i) => {
    idle.push(i);
    channel.listen((value) => {
      const done = current[i];
      if (head < queue.length) {
        const job = queue[head];
        queue[head++] = undefined;
        if (head === queue.length) (queue = []), (head = 0);
        current[i] = job;
        channel.send(job.message);
      } else {
        current[i] = null;
        idle.push(i);
      }
      done.resolve(value);
    });
  });
  return (task, arg) =>
    new Promise((resolve) => {
      const job = { message: [opCodes[task], arg], resolve };
      if (idle.length > 0) {
        const i = idle.pop();
        current[i] = job;
        channels[i].send(job.message);
      } else {
        queue.push(job);
      }
    });
}

/** The floor's map: the input cut with map's default chunksize, one incChunk message per chunk. */
export function chunkedMap(call, processes) {
  return async (_task, items) => {
    const size = Math.ceil(items.length / (4 * processes));
    const parts = [];
    for (let at = 0; at < items.length; at += size) parts.push(call('incChunk', items.slice(at, at + size)));
    return (await Promise.all(parts)).flat();
  };
}
