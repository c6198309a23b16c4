/**
 * The Deno worker entry: takes this worker's life lock, then binds `self` to core's worker loop.
 * @module
 */
import { runWorker, type ToWorker } from '@pool/core/worker';
import { ACK, HOLDING } from './handshake.js';

declare const self: {
  readonly name: string;
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
};
declare const navigator: { locks: { request(name: string, callback: () => Promise<never>): Promise<void> } };

// Messages that arrive before the pool watches our lock wait here: until then, user code must
// not run, since a death it causes would go unnoticed.
const early: ToWorker[] = [];
let deliver: ((message: ToWorker) => void) | null = null;

self.onmessage = ({ data }) => {
  if (deliver) return deliver(data as ToWorker);
  if (data !== ACK) return void early.push(data as ToWorker);
  runWorker({
    send: (message) => self.postMessage(message),
    listen: (listener) => {
      deliver = listener;
    },
    exit: () => self.close(),
  });
  for (const message of early.splice(0)) deliver!(message);
};

// Held until this worker ends; the runtime releases it however the worker ends.
void navigator.locks.request(self.name, () => {
  self.postMessage(HOLDING);
  return new Promise<never>(() => {});
});
