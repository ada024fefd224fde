/** A growable byte buffer with LEB128 varints, for writing index files. */
export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  varint(v: number): void {
    this.reserve(5);
    while (v >= 0x80) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.length++] = v;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Pads with zeros to a multiple of `n`, so typed-array views stay aligned. */
  align(n: number): void {
    while (this.length % n !== 0) this.byte(0);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buf.buffer, 0, this.length);
  }
}
