/**
 * The one error this adapter adds to core's: the cluster could not be reached.
 * @module
 */
import { PoolError } from '@pool/core';

/**
 * No live host served the pool's group, or Redis could not be reached, for longer than the
 * adapter's `unavailableTimeout`: every pending call rejects with this error (`cause`: the last
 * connection error, if any). The pool itself stays usable: calls made once hosts are back run.
 */
export class HostUnavailableError extends PoolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_POOL_HOST_UNAVAILABLE', options);
  }
}
Object.defineProperty(HostUnavailableError.prototype, 'name', { value: 'HostUnavailableError', writable: true, configurable: true });
