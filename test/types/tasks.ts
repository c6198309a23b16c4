/** A typed task module for the type tests. */
export const square = (x: number): number => x * x;
export const add = (a: number, b: number): number => a + b;
export async function fetchSize(url: string): Promise<number> {
  return url.length;
}
export const noArgs = (): 'ok' => 'ok';
export const notATask = 42;
