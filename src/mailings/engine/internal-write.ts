import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One marker per process, shared through the global symbol registry: Strapi runs this module from
 * its compiled dist/ while the worker and the tests may load a second copy from source, and a
 * marker set by one copy must be seen by the rule registered by the other.
 */
const MARKER = Symbol.for('netwerkpost.internal-mailing-write');
const shared = globalThis as { [MARKER]?: AsyncLocalStorage<true> };
const internalWrite = (shared[MARKER] ??= new AsyncLocalStorage<true>());

/**
 * Runs a write that is not an editor's (converting stored data at start) past the editors' rules,
 * for example on an edition that was sent long ago.
 */
export function asInternalWrite<T>(write: () => Promise<T>): Promise<T> {
  return internalWrite.run(true, write);
}

/** Whether the running code is inside asInternalWrite (the mailing rules let such writes pass). */
export function isInternalWrite(): boolean {
  return internalWrite.getStore() === true;
}
