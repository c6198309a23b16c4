/**
 * Messages that teach: the pool's answer to the mistakes a newcomer makes first says what went
 * wrong *and* what to do instead. Each helper takes the plain error and returns it (or a
 * clearer one of the same class); nothing here changes what succeeds.
 * @module
 */
import { DataCloneError, TaskNotFoundError } from './errors.js';
import { describe, isCloneable } from './serialize-error.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** Appended once to a hinted message, so a hint never stacks on itself. */
const marker = '\n  hint: ';

function withHint(error: Error, hint: string): Error {
  if (error.message.includes(marker)) return error;
  try {
    error.message += `${marker}${hint}`;
  } catch {
    return error; // a frozen error stays as it is
  }
  return error;
}

// ---- function tasks and closures ---------------------------------------------------------

const notDefined = /^(\S+) is not defined$|^Can't find variable: (\S+)$/;

/**
 * A function task is sent by its source text, so a variable it captured where it was written
 * does not exist in the worker: explain that on the `ReferenceError` it then throws.
 */
export function closureHint(thrown: unknown): unknown {
  if (!(thrown instanceof ReferenceError)) return thrown;
  const match = notDefined.exec(thrown.message);
  if (!match) return thrown;
  const name = match[1] ?? match[2];
  return withHint(thrown, `function tasks are sent to the worker as source text, so they cannot use variables ` +
    `from where they were written ('${name}' does not exist in the worker). Pass it as an argument, ` +
    `or export the task from the task module and call it by name.`);
}

/**
 * Wraps a compiled function task so that a closure `ReferenceError` it throws, or rejects with,
 * carries {@link closureHint}.
 */
export function hintClosures(fn: AnyFunction): AnyFunction {
  return function hinted(this: unknown, ...args: unknown[]): unknown {
    let value: unknown;
    try {
      value = fn.apply(this, args);
    } catch (error) {
      throw closureHint(error);
    }
    if (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function') {
      return Promise.resolve(value).then(undefined, (error: unknown) => {
        throw closureHint(error);
      });
    }
    return value;
  };
}

// ---- task names --------------------------------------------------------------------------

/** Damerau–Levenshtein distance (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The export name closest to `name`, if one is close enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the longer name, at least 1 and at most 3 edits: 'sqare' → 'square', not 'add'.
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, best?.length ?? 0) / 3)));
  return bestDistance <= limit ? best : undefined;
}

/**
 * The `TaskNotFoundError` for `task`: names the module, says why (missing, or not a function)
 * and suggests the closest exported function, or lists them when there are few.
 */
export function taskNotFound(task: string, exports: Record<string, unknown>, module: string | null): TaskNotFoundError {
  const where = module === null ? 'the task module' : `the task module ${module}`;
  const tasks = Object.keys(exports).filter((key) => typeof exports[key] === 'function');
  const exists = Object.hasOwn(exports, task);
  const why = exists ? `is exported by ${where} but is not a function (it is ${describe(exports[task])})`
    : `is not an exported function of ${where}`;
  const suggestion = exists ? undefined : closestName(task, tasks);
  let detail = why;
  // CommonJS `module.exports = { square: … }`: Node sees only a default export, holding the tasks.
  const byDefault = exports['default'] as Record<string, unknown> | null | undefined;
  if (!exists && typeof byDefault === 'object' && byDefault !== null && Object.hasOwn(byDefault, task) && typeof byDefault[task] === 'function') {
    return new TaskNotFoundError(task, `${why}: it is a property of the module's default export (a CommonJS \`module.exports = { … }\`, whose names Node cannot see?); export it by name (\`exports.${task} = …\`, or \`export function ${task}\`)`);
  }
  if (suggestion !== undefined) detail += `; did you mean '${suggestion}'?`;
  else if (tasks.length === 0) detail += '; it exports no functions';
  else if (tasks.length <= 8) detail += `; its tasks are ${tasks.map((name) => `'${name}'`).join(', ')}`;
  return new TaskNotFoundError(task, detail);
}

// ---- values that cannot be cloned --------------------------------------------------------

/** Where a value fails to clone: a path from the root given (`args[1].onDone`) and what is there. */
export interface Unclonable {
  readonly path: string;
  readonly value: unknown;
}

/**
 * Which part of `value` cannot be structured-cloned, looking into plain objects and arrays;
 * `undefined` if it all clones, or the runtime has no `structuredClone` to ask.
 */
export function findUnclonable(value: unknown, root: string, depth = 0): Unclonable | undefined {
  if (isCloneable(value)) return undefined;
  if (depth < 8 && value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value) || proto === Object.prototype || proto === null) {
      for (const key of Object.keys(value)) {
        const path = Array.isArray(value) ? `${root}[${key}]` : `${root}.${key}`;
        let child: unknown;
        try {
          child = (value as Record<string, unknown>)[key];
        } catch {
          return { path: `${path} (a getter that throws)`, value };
        }
        const found = findUnclonable(child, path, depth + 1);
        if (found) return found;
      }
    }
  }
  return { path: root, value };
}

/**
 * After a failed send: says which argument (or map item) could not be cloned and what it is,
 * on top of the runtime's own message (kept as `cause`).
 * @param items - the unit's arguments (`apply`), or its items (a `map` chunk, `starmap` tuples)
 * @param perItem - `true` when `items` are map or starmap items rather than one call's arguments
 * @param to - where the value was going, for the message (a queue adapter's hosts, say)
 */
export function explainCloneError(error: Error, items: ArrayLike<unknown>, perItem: boolean, to = 'a worker'): Error {
  if (!(error instanceof DataCloneError)) return error;
  for (let i = 0; i < items.length; i++) {
    let item: unknown;
    try {
      item = items[i];
    } catch {
      return error; // a getter that throws: the clone's own error says so
    }
    const found = findUnclonable(item, perItem ? 'item' : `args[${i}]`);
    if (!found) continue;
    const what = perItem ? `a map item (${found.path})` : `argument ${i + 1} (${found.path})`;
    return new DataCloneError(`${error.message}\n  ${what} cannot be sent to ${to}: ${describe(found.value)} ` +
      'is not structured-cloneable. Functions, symbols, promises, WeakMaps and proxies do not cross, and class ' +
      'instances arrive as plain objects; pass plain data, and keep logic in the task module',
    { cause: error.cause ?? error });
  }
  return error;
}

// ---- iterables ---------------------------------------------------------------------------

/** The `TypeError` for an async iterable given to `map`/`starmap`, which need their items at once. */
export function asyncIterableHint(value: unknown): TypeError | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return undefined;
  return new TypeError(`Expected 'iterable' to be a sync iterable, got an async iterable (${describe(value)}): ` +
    'map and starmap read all their input at once; use imap() or imapUnordered(), which read sync and async ' +
    'iterables lazily, or collect the items first (await Array.fromAsync(source))');
}

// ---- task modules ------------------------------------------------------------------------

/**
 * A task module the runtime cannot load because it is TypeScript (Node before type stripping,
 * or worker threads without a loader): say which routes work.
 */
export function moduleLoadHint(thrown: unknown, module?: string | null): unknown {
  if (thrown instanceof Error && (thrown as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && module?.startsWith('file:')) {
    // The task module itself, not one it imports: say where a relative path was taken from.
    const path = decodeURIComponent(new URL(module).pathname);
    const named = [`'${path}'`, `'${module}'`, `"${module}"`].some((quoted) => thrown.message.includes(quoted));
    if (!named) return thrown;
    return withHint(thrown, `no task module at ${path}. A relative 'module' path is taken against the working ` +
      "directory (process.cwd()), not against the file that makes the pool: to name a file beside your script, " +
      "pass new URL('./tasks.js', import.meta.url)");
  }
  if (!(thrown instanceof Error) || (thrown as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') return thrown;
  if (!/\.(ts|mts|cts|tsx)"/.test(thrown.message)) return thrown;
  return withHint(thrown, 'this Node cannot load a TypeScript task module by itself (Node 22.6+ can with ' +
    "--experimental-strip-types, 22.18+ and 23.6+ by default). Install tsx and start the workers with it: nodeWorkers({ execArgv: " +
    "['--import', 'tsx'] }) or nodeProcesses({ execArgv: ['--import', 'tsx'] }); or point 'module' at the compiled .js file.");
}
