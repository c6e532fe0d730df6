/**
 * The number of row groups of a Parquet file in memory, read from its footer
 * (Thrift compact protocol) without decoding anything else. parquet-wasm can
 * only tell it through `ParquetFile.fromFile(Blob)`, which in Chromium costs
 * a copy of the file into the browser process and ≈ 0.15–0.2 s of reads.
 */

/** Thrift compact-protocol type ids. */
const T = { TRUE: 1, FALSE: 2, I8: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12, UUID: 13 } as const;

/** `FileMetaData.row_groups` (list<RowGroup>) is field 4. */
const ROW_GROUPS_FIELD = 4;

class Reader {
  constructor(private readonly bytes: Uint8Array, private pos: number, private readonly end: number) {}

  byte(): number {
    if (this.pos >= this.end) throw new Error('the footer is truncated');
    return this.bytes[this.pos++];
  }

  skipBytes(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new Error('the footer is truncated');
    this.pos += n;
  }

  /** An unsigned LEB128 varint (lengths and sizes: exact below 2^53). */
  varint(): number {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const b = this.byte();
      value += (b & 0x7f) * shift;
      if (b < 0x80) return value;
      if (shift > 2 ** 63) throw new Error('the footer holds a malformed number');
    }
  }

  /** A list or set header: its size (the element type is returned too, to skip the elements). */
  collection(): { size: number; type: number } {
    const header = this.byte();
    const size = header >> 4;
    return { size: size === 15 ? this.varint() : size, type: header & 0x0f };
  }

  /** Skips one value of `type`; `inCollection` because booleans take a byte there but none in a field header. */
  skip(type: number, inCollection = false): void {
    switch (type) {
      case T.TRUE: case T.FALSE: if (inCollection) this.skipBytes(1); return;
      case T.I8: this.skipBytes(1); return;
      case T.I16: case T.I32: case T.I64: this.varint(); return;
      case T.DOUBLE: this.skipBytes(8); return;
      case T.BINARY: this.skipBytes(this.varint()); return;
      case T.UUID: this.skipBytes(16); return;
      case T.LIST: case T.SET: {
        const { size, type: element } = this.collection();
        for (let i = 0; i < size; i++) this.skip(element, true);
        return;
      }
      case T.MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kinds = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kinds >> 4, true);
          this.skip(kinds & 0x0f, true);
        }
        return;
      }
      case T.STRUCT: {
        for (let field = this.field(0); field; field = this.field(field.id)) this.skip(field.type);
        return;
      }
      default: throw new Error(`the footer holds an unknown Thrift type ${type}`);
    }
  }

  /** The next field header of a struct, or `null` at its end. */
  field(lastId: number): { id: number; type: number } | null {
    const header = this.byte();
    if (header === 0) return null;
    const delta = header >> 4;
    let id = lastId + delta;
    if (delta === 0) {
      const zigzag = this.varint();
      id = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    }
    return { id, type: header & 0x0f };
  }
}

function magicAt(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31; // PAR1
}

/** How many row groups the Parquet file `bytes` has. Throws when the bytes are not a (readable, unencrypted) Parquet file. */
export function parquetRowGroupCount(bytes: Uint8Array): number {
  if (bytes.length < 12 || !magicAt(bytes, 0) || !magicAt(bytes, bytes.length - 4)) {
    throw new Error('no Parquet magic bytes at both ends of the file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(bytes.length - 8, true);
  const start = bytes.length - 8 - length;
  if (start < 4) throw new Error('the footer length is larger than the file');
  const reader = new Reader(bytes, start, bytes.length - 8);
  for (let field = reader.field(0); field; field = reader.field(field.id)) {
    if (field.id === ROW_GROUPS_FIELD && field.type === T.LIST) return reader.collection().size;
    reader.skip(field.type);
  }
  throw new Error('the footer lists no row groups');
}
