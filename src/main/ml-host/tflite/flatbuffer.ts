// Google's FlatBuffers runtime reads the TFLite file (through code flatc generated from
// fbs/tflite-subset.fbs), but its ByteBuffer trusts every offset: past the end of the bytes it
// reads zeros (undefined | 0) instead of failing. This ByteBuffer range-checks every read the
// generated code makes, so a truncated or hostile file fails with MODEL_INVALID instead of being
// read as garbage or throwing a RangeError deep inside a typed-array constructor.
import { ByteBuffer, type Encoding } from 'flatbuffers';
import { AppError } from '../../../shared/contract/errors';

export function invalidTflite(message: string): AppError {
  return new AppError('MODEL_INVALID', `Not a valid TFLite file: ${message}`);
}

export class CheckedByteBuffer extends ByteBuffer {
  check(offset: number, size: number, what: string): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + size > this.capacity()) {
      throw invalidTflite(
        `${what} at byte ${offset} (+${size}) lies outside the ${this.capacity()}-byte file`,
      );
    }
  }

  // The runtime builds every other read (signed, 64-bit, float) on these three.
  override readUint8(offset: number): number {
    this.check(offset, 1, 'uint8');
    return super.readUint8(offset);
  }
  override readUint16(offset: number): number {
    this.check(offset, 2, 'uint16');
    return super.readUint16(offset);
  }
  override readInt32(offset: number): number {
    this.check(offset, 4, 'int32');
    return super.readInt32(offset);
  }

  /** Offsets of absent fields are 0; a vtable must at least hold its own two sizes. */
  override __offset(bbPos: number, vtableOffset: number): number {
    const vtable = bbPos - this.readInt32(bbPos);
    const size = this.readUint16(vtable);
    if (size < 4 || size % 2 !== 0)
      throw invalidTflite(`table at byte ${bbPos} has a malformed vtable`);
    this.check(vtable, size, 'vtable');
    return super.__offset(bbPos, vtableOffset);
  }

  /** A vector's elements take at least a byte each: its length must fit in the file. */
  override __vector_len(offset: number): number {
    const length = super.__vector_len(offset);
    this.check(this.__vector(offset), length, 'vector');
    return length;
  }

  override __string(offset: number, encoding?: Encoding): string | Uint8Array {
    const start = offset + this.readInt32(offset);
    this.check(start + 4, this.readInt32(start), 'string');
    return super.__string(offset, encoding);
  }
}
