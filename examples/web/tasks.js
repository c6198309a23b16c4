// The demo's task module: one tile of the Mandelbrot set. Every export is a task the pool can run;
// the page also imports it to render serially, so both runs do exactly the same work.

/** Renders the tile at (x0, y0), w × h pixels, of a width × height view; returns its RGBA pixels. */
export function tile({ x0, y0, w, h, width, height, view, maxIter }) {
  const pixels = new Uint8ClampedArray(w * h * 4);
  const scale = view.size / width;
  let iterations = 0;
  for (let py = 0; py < h; py++) {
    const ci = view.y + (y0 + py - height / 2) * scale;
    for (let px = 0; px < w; px++) {
      const cr = view.x + (x0 + px - width / 2) * scale;
      let zr = 0;
      let zi = 0;
      let n = 0;
      while (n < maxIter && zr * zr + zi * zi < 16) {
        const t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        n++;
      }
      iterations += n;
      const at = (py * w + px) * 4;
      if (n === maxIter) {
        pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
      } else {
        // Smooth colouring: a fractional escape count, through a cosine palette.
        const smooth = n + 1 - Math.log2(Math.log2(zr * zr + zi * zi) / 2);
        const s = Math.log(smooth + 1) * 0.42;
        pixels[at] = 128 + 127 * Math.cos(6.2832 * (s + 0.0));
        pixels[at + 1] = 128 + 127 * Math.cos(6.2832 * (s + 0.15));
        pixels[at + 2] = 128 + 127 * Math.cos(6.2832 * (s + 0.3));
      }
      pixels[at + 3] = 255;
    }
  }
  return { x0, y0, w, h, pixels, iterations };
}
