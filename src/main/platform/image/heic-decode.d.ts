// heic-decode ships no types; this is the part of its API the importer uses.
declare module 'heic-decode' {
  type DecodedImage = { width: number; height: number; data: Uint8ClampedArray };
  type LazyImage = { width: number; height: number; decode(): Promise<DecodedImage> };
  type Input = { buffer: Buffer | ArrayBuffer | Uint8Array };
  function decode(input: Input): Promise<DecodedImage>;
  namespace decode {
    function all(input: Input): Promise<LazyImage[] & { dispose(): void }>;
  }
  export = decode;
}
