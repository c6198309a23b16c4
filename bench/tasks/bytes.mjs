// A light task over a binary payload, for the copy-path profile: it reads the buffer (one byte in
// 4,096), so the cost measured is moving the megabyte, not working on it.
export function sample(buffer) {
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : buffer;
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 4096) sum += bytes[i];
  return sum;
}
