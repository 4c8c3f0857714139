/**
 * Output bytes gathered into pieces of about a MiB for text writers that build rows byte by byte
 * (recommend's text rows, reveal's delimited rows): a writer makes room for a row, writes it in
 * place at `pos`, and takes the pieces that filled up to hand them to its file.
 */
export class BytePieces {
  buf: Buffer;
  pos = 0;
  private full: Buffer[] = [];

  constructor(private readonly size = 1 << 20) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for `need` more bytes at `pos`: a new piece when the current one has not. */
  reserve(need: number): void {
    if (this.pos + need <= this.buf.length) return;
    this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(this.size, need));
    this.pos = 0;
  }

  /** Whether a piece has filled up since the last take. */
  get hasFull(): boolean {
    return this.full.length > 0;
  }

  /** The pieces that filled up, in order (with `all`, the current one too, which then starts over). */
  take(all = false): Buffer[] {
    if (all && this.pos > 0) {
      this.full.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(this.size);
      this.pos = 0;
    }
    const full = this.full;
    this.full = [];
    return full;
  }
}
