// tasks.js — every export is a task the pool can run
export const square = (x) => x * x;
export async function fetchSize(url) { return (await fetch(url)).headers.get('content-length'); }
