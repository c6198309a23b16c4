// The real workloads' task module: what users of worker pools offload, with the libraries they
// use. Loaded only by the real workloads, so W1–W6 workers stay as light as before.
import { Buffer } from 'node:buffer';
import bcrypt from 'bcryptjs';
import { Jimp } from 'jimp';
import { marked } from 'marked';

/** A fixed salt, so a hash is the same in every run and every worker (checked against serial). */
const salt = '$2b$06$' + 'poolbenchpoolbenchpool';

/** Password hashing, as in a sign-up handler: bcrypt, cost 6 (2^6 rounds). */
export const hashPassword = (password) => bcrypt.hashSync(password, salt);

/** Markdown to HTML, as a docs site or a comment box renders it. */
export const renderMarkdown = (source) => marked.parse(source);

/**
 * A 128 × 128 thumbnail of a 512 × 512 RGBA frame (exactly 1 MiB), bilinear. The frame arrives
 * as a Uint8Array (copied) or an ArrayBuffer (transferred); the thumbnail (64 KiB) is copied back.
 */
export function thumbnail(frame) {
  const bytes = frame instanceof ArrayBuffer ? new Uint8Array(frame) : frame;
  // jimp misreads a view that does not start its buffer (as a child process receives it, inside
  // the IPC message's buffer): such a frame is copied into a buffer of its own first.
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const image = Jimp.fromBitmap({ data: whole ? Buffer.from(bytes.buffer) : Buffer.from(bytes), width: 512, height: 512 });
  image.resize({ w: 128, h: 128, mode: 'bilinearInterpolation' });
  const out = image.bitmap.data;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
