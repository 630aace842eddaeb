// Text written straight into byte buffers, for the writers of large outputs (bar CSV, equity-curve JSON) that
// format millions of numbers: no string per value, so no garbage per value.

const ZERO = 0x30;

/** Writes an ASCII string at `o`; returns the offset after it. */
export function writeAscii(buf: Buffer, o: number, s: string): number {
  for (let j = 0; j < s.length; j++) buf[o + j] = s.charCodeAt(j);
  return o + s.length;
}

/** Writes the non-negative integer n (< 2^53) in decimal, at least `width` digits (zero-padded); returns the offset after it. */
export function writeDigits(buf: Buffer, o: number, n: number, width = 1): number {
  let len = 1;
  for (let p = 10; p <= n && len < 16; p *= 10) len++;
  if (len < width) len = width;
  for (let j = len - 1; j >= 0; j--) {
    const q = Math.floor(n / 10);
    buf[o + j] = ZERO + (n - q * 10);
    n = q;
  }
  return o + len;
}
