// Types for tasks.js, so that a TypeScript caller's `typeof import('./tasks.js')` checks
// names, arguments and results (a plain .js module alone gives `any` arguments).
export declare const square: (x: number) => number;
export declare function fetchSize(url: string): Promise<string | null>;
