// Shared by the artifact scripts: one pool per adapter, the calls a user makes first, checked.
export async function check(label, Pool, adapters, errors) {
  for (const [name, adapter] of Object.entries(adapters)) {
    const pool = new Pool({ adapter: adapter(), module: new URL('./tasks.mjs', import.meta.url), processes: 2 });
    try {
      const squares = await pool.map('square', [1, 2, 3, 4]);
      if (JSON.stringify(squares) !== '[1,4,9,16]') throw new Error(`${label} ${name}: map gave ${JSON.stringify(squares)}`);
      const failure = await pool.apply('fail', ['typed']).then(
        () => undefined,
        (error) => error,
      );
      if (!(failure instanceof RangeError) || failure.message !== 'typed')
        throw new Error(`${label} ${name}: the task's RangeError did not cross`);
      const missing = await pool.apply('nope').then(
        () => undefined,
        (error) => error,
      );
      if (!(missing instanceof errors.TaskNotFoundError)) throw new Error(`${label} ${name}: expected TaskNotFoundError, got ${missing}`);
      console.log(`${label}: ${name} ok (ran on ${await pool.apply('whereAmI')})`);
    } finally {
      await pool.terminate();
    }
  }
}
