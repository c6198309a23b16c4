// Deterministic inputs of the real workloads, made in the harness before the clock starts.

/** Passwords of 8–24 characters. */
export const passwords = (n) => Array.from({ length: n }, (_, i) => `correct horse ${i} ${'battery staple'.slice(0, i % 11)}`);

/** Markdown documents of ~2 KB: headings, emphasis, lists, links, code, a table, varying per index. */
export function documents(n) {
  return Array.from({ length: n }, (_, i) => `# Release notes ${i}

This release of **package-${i % 97}** brings *${i % 7} fixes* and \`${i % 5}\` new options.
See [the changelog](https://example.com/changes/${i}) and the [guide](../guide/${i % 13}.md).

## Changes

${Array.from({ length: 6 + (i % 5) }, (_, k) => `- item ${k}: fixed _case ${i * k}_ in \`module${k}\` ([#${i + k}](https://example.com/${i + k}))`).join('\n')}

> Note: upgrading from ${i % 3}.x needs a **migration** step.

\`\`\`js
const pool = new Pool({ processes: ${1 + (i % 8)} });
const values = await pool.map('task', items, { chunksize: ${i % 100} });
\`\`\`

| option | default | since |
|---|---|---|
${Array.from({ length: 4 }, (_, k) => `| opt${k} | ${i * k} | ${k}.${i % 10} |`).join('\n')}

1. first step ${i}
2. second step
3. third step with ~~strike~~ and a line break  
   continued here.
`);
}

/** 512 × 512 RGBA frames (1 MiB each): a gradient and a pattern that depend on the index. */
export function frames(n) {
  return Array.from({ length: n }, (_, f) => {
    const bytes = new Uint8Array(512 * 512 * 4);
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) {
        const o = (y * 512 + x) * 4;
        bytes[o] = (x + f * 7) & 255;
        bytes[o + 1] = (y * 3 + f) & 255;
        bytes[o + 2] = ((x ^ y) + f * 13) & 255;
        bytes[o + 3] = 255;
      }
    }
    return bytes;
  });
}

/** FNV-1a over bytes or a string: results compared with the serial run's. */
export function digest(value) {
  let h = 0x811c9dc5;
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  } else {
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value.buffer ?? value, value.byteOffset ?? 0, value.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return h >>> 0;
}
