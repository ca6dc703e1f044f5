// A minimal, bounds-checked FlatBuffers reader: just enough of the wire format to walk the TFLite
// schema (tables, vtables, scalars, strings, vectors of scalars and of tables, unions). Every read
// is range-checked so a truncated or hostile file fails with MODEL_INVALID instead of reading
// garbage or throwing a RangeError deep inside a DataView.
import { AppError } from '../../../shared/contract/errors';

function invalid(message: string): AppError {
  return new AppError('MODEL_INVALID', `Not a valid TFLite file: ${message}`);
}

export class FlatBuffer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  check(offset: number, size: number, what: string): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.bytes.byteLength) {
      throw invalid(
        `${what} at byte ${offset} (+${size}) lies outside the ${this.length}-byte file`,
      );
    }
  }

  u8(o: number): number {
    this.check(o, 1, 'uint8');
    return this.view.getUint8(o);
  }
  i8(o: number): number {
    this.check(o, 1, 'int8');
    return this.view.getInt8(o);
  }
  u16(o: number): number {
    this.check(o, 2, 'uint16');
    return this.view.getUint16(o, true);
  }
  i32(o: number): number {
    this.check(o, 4, 'int32');
    return this.view.getInt32(o, true);
  }
  u32(o: number): number {
    this.check(o, 4, 'uint32');
    return this.view.getUint32(o, true);
  }
  f32(o: number): number {
    this.check(o, 4, 'float32');
    return this.view.getFloat32(o, true);
  }
  i64(o: number): number {
    this.check(o, 8, 'int64');
    return Number(this.view.getBigInt64(o, true));
  }
  u64(o: number): number {
    this.check(o, 8, 'uint64');
    return Number(this.view.getBigUint64(o, true));
  }

  /** Follows a uoffset stored at `o` to the position it points at. */
  deref(o: number): number {
    return o + this.u32(o);
  }

  /** The 4-byte file identifier after the root offset ('TFL3' for TFLite). */
  identifier(): string {
    this.check(4, 4, 'file identifier');
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  root(): Table {
    return new Table(this, this.deref(0));
  }
}

/** One FlatBuffers table: fields are looked up by their schema field id through the vtable. */
export class Table {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    readonly fb: FlatBuffer,
    readonly pos: number,
  ) {
    this.vtable = pos - fb.i32(pos);
    this.vtableSize = fb.u16(this.vtable);
    if (this.vtableSize < 4 || this.vtableSize % 2 !== 0) {
      throw invalid(`table at byte ${pos} has a malformed vtable`);
    }
    fb.check(this.vtable, this.vtableSize, 'vtable');
  }

  /** Absolute position of field `id`, or 0 when the field is absent (default value). */
  private field(id: number): number {
    const slot = 4 + id * 2;
    if (slot >= this.vtableSize) return 0;
    const rel = this.fb.u16(this.vtable + slot);
    return rel === 0 ? 0 : this.pos + rel;
  }

  has(id: number): boolean {
    return this.field(id) !== 0;
  }

  u8(id: number, dflt = 0): number {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.u8(p);
  }
  i8(id: number, dflt = 0): number {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.i8(p);
  }
  bool(id: number, dflt = false): boolean {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.u8(p) !== 0;
  }
  i32(id: number, dflt = 0): number {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.i32(p);
  }
  u32(id: number, dflt = 0): number {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.u32(p);
  }
  f32(id: number, dflt = 0): number {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.f32(p);
  }
  u64(id: number, dflt = 0): number {
    const p = this.field(id);
    return p === 0 ? dflt : this.fb.u64(p);
  }

  string(id: number): string | null {
    const p = this.field(id);
    if (p === 0) return null;
    const s = this.fb.deref(p);
    const n = this.fb.u32(s);
    this.fb.check(s + 4, n, 'string');
    return new TextDecoder().decode(this.fb.bytes.subarray(s + 4, s + 4 + n));
  }

  table(id: number): Table | null {
    const p = this.field(id);
    return p === 0 ? null : new Table(this.fb, this.fb.deref(p));
  }

  /** Start and length of the vector in field `id`, range-checked for `elemSize`-byte elements. */
  private vector(id: number, elemSize: number, what: string): { start: number; n: number } | null {
    const p = this.field(id);
    if (p === 0) return null;
    const v = this.fb.deref(p);
    const n = this.fb.u32(v);
    this.fb.check(v + 4, n * elemSize, what);
    return { start: v + 4, n };
  }

  /** Vector of bytes as a view into the file (no copy). */
  bytesVector(id: number): Uint8Array | null {
    const v = this.vector(id, 1, 'byte vector');
    return v === null ? null : this.fb.bytes.subarray(v.start, v.start + v.n);
  }

  i32Vector(id: number): number[] {
    const v = this.vector(id, 4, 'int32 vector');
    if (v === null) return [];
    return Array.from({ length: v.n }, (_, i) => this.fb.i32(v.start + i * 4));
  }
  f32Vector(id: number): number[] {
    const v = this.vector(id, 4, 'float32 vector');
    if (v === null) return [];
    return Array.from({ length: v.n }, (_, i) => this.fb.f32(v.start + i * 4));
  }
  i64Vector(id: number): number[] {
    const v = this.vector(id, 8, 'int64 vector');
    if (v === null) return [];
    return Array.from({ length: v.n }, (_, i) => this.fb.i64(v.start + i * 8));
  }

  tableVector(id: number): Table[] {
    const v = this.vector(id, 4, 'table vector');
    if (v === null) return [];
    return Array.from({ length: v.n }, (_, i) => {
      const p = v.start + i * 4;
      return new Table(this.fb, this.fb.deref(p));
    });
  }
}
