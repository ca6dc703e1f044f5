import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import { AppError, type ErrorCode } from '../../src/shared/contract/errors';
import {
  ESTIMATE_ERROR_M,
  jpegWithGps,
  writeGpsCopy,
  writeGpsIntoOriginal,
  type GpsStamp,
} from '../../src/main/core/geolocate/exif-gps';
import { exifSamples, needFixtures, tempDir } from './helpers';

const stamp = (lat: number, lon: number, city: string, country: string): GpsStamp => ({
  lat,
  lon,
  city,
  country,
  confidence: 0.83,
  modelId: 'm-test',
});
const RIO = stamp(-22.9068, -43.1729, 'Rio de Janeiro', 'Brazil');
const SYDNEY = stamp(-33.8688, 151.2093, 'Sydney', 'Australia');
const WASHINGTON = stamp(38.9072, -77.0369, 'Washington', 'United States');
const PARIS = stamp(48.8566, 2.3522, 'Paris', 'France');
const STAMPS = [RIO, SYDNEY, WASHINGTON, PARIS];

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const shaOf = (path: string): string => sha(readFileSync(path));

/** Every JPEG under exif-samples/jpg, relative paths. */
function fixtureJpegs(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.jpg')) out.push(path);
    }
  };
  walk(join(exifSamples, 'jpg'));
  return out;
}

type Seg = { marker: number; bytes: Buffer };

/**
 * An independent JPEG walk for the checks (not the module's parser): the segments before SOS and
 * everything from SOS on.
 */
function jpegParts(file: Buffer): { segments: Seg[]; scan: Buffer } {
  const segments: Seg[] = [];
  let at = 2;
  while (file[at + 1] !== 0xda) {
    assert.equal(file[at], 0xff, `marker expected at ${at}`);
    const end = at + 2 + file.readUInt16BE(at + 2);
    segments.push({ marker: file[at + 1] as number, bytes: file.subarray(at, end) });
    at = end;
  }
  return { segments, scan: file.subarray(at) };
}

const isExif = (s: Seg): boolean =>
  s.marker === 0xe1 && s.bytes.subarray(4, 10).toString('latin1') === 'Exif\0\0';

const exifrOptions = {
  mergeOutput: false,
  translateValues: false,
  sanitize: false,
  tiff: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
};

/**
 * Files are handed to exifr as bytes: given a path and TIFF-only options, exifr 7 reads just the
 * first chunk and misses an EXIF segment that sits behind a large ICC segment (landscape_3.jpg).
 */
const bytesOf = (input: string | Buffer): Buffer =>
  typeof input === 'string' ? readFileSync(input) : input;

/** The EXIF (TIFF) blocks exifr reads, each separately, values untranslated. */
const fullParse = async (input: string | Buffer): Promise<Record<string, unknown>> =>
  ((await exifr.parse(bytesOf(input), {
    ...exifrOptions,
    tiff: true,
    ifd0: {},
    ifd1: true,
    exif: true,
    gps: true,
    interop: true,
    makerNote: true,
    userComment: true,
  })) ?? {}) as Record<string, unknown>;

/**
 * Everything exifr reads except GPS: the EXIF blocks without the GPS block and IFD0's pointer to
 * it, and (parsed apart, since exifr files XMP's tiff: namespace under "ifd0" too) XMP, ICC, IPTC
 * and JFIF.
 */
async function allButGps(input: string | Buffer): Promise<Record<string, unknown>> {
  const tiff = await fullParse(input);
  delete tiff.gps;
  const ifd0 = tiff.ifd0 as Record<string, unknown> | undefined;
  if (ifd0 !== undefined) delete ifd0.GpsIFD;
  const others: unknown = await exifr.parse(bytesOf(input), {
    ...exifrOptions,
    xmp: true,
    icc: true,
    iptc: true,
    jfif: true,
  });
  return { tiff, others };
}

/** The IFD0 a photo without EXIF gets besides GPSInfo: what Exif requires of a JPEG. */
const FRESH_IFD0 = ['ResolutionUnit', 'XResolution', 'YCbCrPositioning', 'YResolution'];

function assertNear(actual: { latitude: number; longitude: number } | undefined, s: GpsStamp) {
  assert.ok(actual !== undefined, 'GPS reads back');
  assert.ok(Math.abs(actual.latitude - s.lat) < 1e-6, `lat ${actual.latitude} vs ${s.lat}`);
  assert.ok(Math.abs(actual.longitude - s.lon) < 1e-6, `lon ${actual.longitude} vs ${s.lon}`);
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, text?: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (text !== undefined) assert.match(error.message, text);
    return true;
  });
}

const pixels = (input: string | Buffer): Promise<Buffer> => sharp(input).raw().toBuffer();

const plainJpeg = (): Promise<Buffer> =>
  sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();

describe('EXIF GPS: copies of the real camera files (shared fixtures)', () => {
  it('writes readable GPS into every JPEG and changes nothing else', async (t) => {
    if (!needFixtures(t)) return;
    const dest = tempDir(t, 'lp-gps-');
    const files = fixtureJpegs();
    assert.ok(files.length >= 29, `${files.length} fixture JPEGs`);
    const byteOrders = new Set<string>();
    for (const [i, src] of files.entries()) {
      const name = src.slice(exifSamples.length + 1);
      const s = STAMPS[i % STAMPS.length] as GpsStamp;
      const before = readFileSync(src);
      const parsedBefore = await allButGps(src);
      const written = await writeGpsCopy(src, dest, s);
      assert.equal(shaOf(src), sha(before), `${name}: the source is untouched`);
      const after = readFileSync(written);

      assertNear(await exifr.gps(written), s);
      const parsedAfter = await allButGps(written);
      const tiffBefore = parsedBefore.tiff as Record<string, unknown>;
      const tiffAfter = parsedAfter.tiff as Record<string, unknown>;
      if (tiffBefore.ifd0 === undefined) {
        assert.deepEqual(Object.keys(tiffAfter.ifd0 as object).sort(), FRESH_IFD0, name);
        delete tiffAfter.ifd0;
      }
      assert.deepEqual(parsedAfter, parsedBefore, `${name}: other tags unchanged`);

      // Byte level: the same segments in the same order, the EXIF one replaced or added, and the
      // entropy-coded data (SOS to the end, trailer included) identical.
      const a = jpegParts(before);
      const b = jpegParts(after);
      assert.ok(b.scan.equals(a.scan), `${name}: image data identical`);
      assert.deepEqual(
        b.segments.filter((x) => !isExif(x)).map((x) => x.bytes),
        a.segments.filter((x) => !isExif(x)).map((x) => x.bytes),
        `${name}: every other segment identical`,
      );
      const exifBefore = a.segments.filter(isExif);
      const exifAfter = b.segments.filter(isExif);
      assert.equal(exifAfter.length, Math.max(1, exifBefore.length), `${name}: one EXIF segment`);
      const firstExif = exifAfter[0] as Seg;
      byteOrders.add(firstExif.bytes.toString('latin1', 10, 12));
      if (exifBefore[0] !== undefined) {
        // The existing TIFF block is kept byte for byte except the 4-byte pointers we re-aim.
        const old = exifBefore[0].bytes.subarray(10);
        const now = firstExif.bytes.subarray(10);
        let changed = 0;
        for (let k = 0; k < old.length; k++) if (old[k] !== now[k]) changed++;
        assert.ok(changed <= 4, `${name}: ${changed} bytes of the old EXIF block changed`);
      }

      const thumbBefore = await exifr.thumbnail(before);
      const thumbAfter = await exifr.thumbnail(after);
      assert.deepEqual(thumbAfter, thumbBefore, `${name}: thumbnail unchanged`);

      if (name === 'jpg/corrupted.jpg') {
        // Its entropy-coded data is cut short: writable (its header parses), and exactly as
        // undecodable afterwards as before.
        await assert.rejects(pixels(before), /premature end of data segment/);
        await assert.rejects(pixels(after), /premature end of data segment/);
      } else {
        assert.ok((await pixels(after)).equals(await pixels(before)), `${name}: same pixels`);
      }
    }
    assert.deepEqual([...byteOrders].sort(), ['II', 'MM'], 'both byte orders were exercised');
  });

  it('keeps the Nikon maker note byte for byte (absolute offsets stay valid)', async (t) => {
    if (!needFixtures(t)) return;
    const dest = tempDir(t, 'lp-gps-');
    const src = join(exifSamples, 'jpg', 'gps', 'DSCN0010.jpg');
    const written = await writeGpsCopy(src, dest, SYDNEY);
    const before = await fullParse(src);
    const after = await fullParse(written);
    assert.ok(before.makerNote !== undefined, 'the fixture has a maker note');
    assert.deepEqual(after.makerNote, before.makerNote);
  });

  it('replaces existing GPS instead of adding a second position', async (t) => {
    if (!needFixtures(t)) return;
    const dest = tempDir(t, 'lp-gps-');
    const src = join(exifSamples, 'jpg', 'gps', 'DSCN0010.jpg');
    const old = (await fullParse(src)).gps as Record<string, unknown>;
    assert.ok('GPSAltitudeRef' in old && 'GPSTimeStamp' in old, 'the fixture has a full GPS fix');
    const first = await writeGpsCopy(src, dest, WASHINGTON);
    const second = await writeGpsCopy(first, dest, SYDNEY);
    for (const [file, s] of [
      [first, WASHINGTON],
      [second, SYDNEY],
    ] as const) {
      assertNear(await exifr.gps(file), s);
      const gps = (await fullParse(file)).gps as Record<string, unknown>;
      // The whole GPS IFD is ours: the camera's altitude and time described another fix.
      assert.deepEqual(Object.keys(gps).sort(), [
        'GPSAreaInformation',
        'GPSHPositioningError',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
        'GPSMapDatum',
        'GPSVersionID',
        'latitude',
        'longitude',
      ]);
      assert.equal(jpegParts(readFileSync(file)).segments.filter(isExif).length, 1);
    }
    // Writing over our own GPS re-aims the pointer; the block grows by one GPS IFD only.
    const growth = readFileSync(second).length - readFileSync(first).length;
    assert.ok(growth > 0 && growth < 400, `grew by ${growth} bytes`);
  });

  it('writes the estimate note, map datum, version and a coarse positioning error', async (t) => {
    if (!needFixtures(t)) return;
    const dest = tempDir(t, 'lp-gps-');
    const src = join(exifSamples, 'jpg', 'orientation', 'landscape_3.jpg'); // big-endian EXIF
    const sao = { ...stamp(-23.5505, -46.6333, 'São Paulo', 'Brazil'), confidence: 0.4567 };
    for (const [s, expected] of [
      [RIO, 'ASCII\0\0\0Estimated city: Rio de Janeiro, Brazil (model m-test, p=0.83)'],
      [sao, 'UNICODE\0Estimated city: São Paulo, Brazil (model m-test, p=0.46)'],
      [
        { ...RIO, review: 'accepted' },
        'ASCII\0\0\0Estimated city: Rio de Janeiro, Brazil (model m-test, p=0.83, confirmed by a reviewer)',
      ],
      [
        { ...RIO, review: 'corrected' },
        "ASCII\0\0\0Reviewer's city: Rio de Janeiro, Brazil (model m-test, p=0.83)",
      ],
    ] as const) {
      const file = await writeGpsCopy(src, dest, s);
      const gps = (await fullParse(file)).gps as Record<string, unknown>;
      const area = Buffer.from(gps.GPSAreaInformation as Uint8Array);
      const code = area.toString('latin1', 0, 8);
      const text =
        code === 'UNICODE\0'
          ? area.subarray(8).swap16().toString('utf16le') // the block is big-endian ("MM")
          : area.toString('latin1', 8);
      assert.equal(code + text, expected);
      assert.equal(gps.GPSMapDatum, 'WGS-84');
      assert.equal(gps.GPSVersionID, '2.3.0.0');
      assert.equal(gps.GPSHPositioningError, ESTIMATE_ERROR_M);
      assert.equal(gps.GPSLatitudeRef, 'S');
      assert.equal(gps.GPSLongitudeRef, 'W');
    }
  });

  it('never overwrites: a taken name gets -1, -2, … and the file there keeps its bytes', async (t) => {
    if (!needFixtures(t)) return;
    const dest = tempDir(t, 'lp-gps-');
    const src = join(exifSamples, 'jpg', 'orientation', 'portrait_6.jpg');
    writeFileSync(join(dest, 'portrait_6.jpg'), 'somebody else’s file');
    const first = await writeGpsCopy(src, dest, PARIS);
    const firstHash = shaOf(first);
    const second = await writeGpsCopy(src, dest, RIO);
    assert.equal(first, join(dest, 'portrait_6-1.jpg'));
    assert.equal(second, join(dest, 'portrait_6-2.jpg'));
    assert.equal(readFileSync(join(dest, 'portrait_6.jpg'), 'utf8'), 'somebody else’s file');
    assert.equal(shaOf(first), firstHash);
    assertNear(await exifr.gps(second), RIO);
    assert.deepEqual(readdirSync(dest).sort(), [
      'portrait_6-1.jpg',
      'portrait_6-2.jpg',
      'portrait_6.jpg',
    ]);
  });

  it('refuses what it cannot write, leaving every file as it was and no temp files', async (t) => {
    if (!needFixtures(t)) return;
    const dir = tempDir(t, 'lp-gps-');
    const dest = join(dir, 'out');
    const heic = join(exifSamples, 'heic', 'IMG_5195.HEIC');
    const heicHash = shaOf(heic);
    await rejectsWith(writeGpsCopy(heic, dest, RIO), 'UNSUPPORTED', /not a JPEG.*HEIC/);
    assert.equal(shaOf(heic), heicHash);

    // Cut inside the EXIF segment: the header no longer parses.
    const truncated = join(dir, 'truncated.jpg');
    writeFileSync(
      truncated,
      readFileSync(join(exifSamples, 'jpg', 'gps', 'DSCN0010.jpg')).subarray(0, 5000),
    );
    const truncatedHash = shaOf(truncated);
    await rejectsWith(writeGpsCopy(truncated, dest, RIO), 'UNSUPPORTED', /header cannot be read/);
    assert.equal(shaOf(truncated), truncatedHash);

    // A damaged TIFF header inside the EXIF segment: refused rather than replaced (tags would go).
    const damaged = join(dir, 'damaged.jpg');
    const bytes = Buffer.from(readFileSync(join(exifSamples, 'jpg', 'gps', 'DSCN0012.jpg')));
    bytes[12] = 0x00; // "II" → "I\0"
    writeFileSync(damaged, bytes);
    await rejectsWith(writeGpsCopy(damaged, dest, RIO), 'UNSUPPORTED', /EXIF block is damaged/);

    await rejectsWith(writeGpsCopy(join(dir, 'missing.jpg'), dest, RIO), 'NOT_FOUND');
    await rejectsWith(
      writeGpsCopy(damaged, dest, { ...RIO, lat: 91 }),
      'BAD_ARGUMENT',
      /lat must be/,
    );
    await rejectsWith(
      writeGpsCopy(damaged, dest, { ...RIO, confidence: Number.NaN }),
      'BAD_ARGUMENT',
    );
    assert.ok(!existsSync(dest) || readdirSync(dest).length === 0, 'nothing in the destination');

    // A destination that is a file (tests run as root, so permissions can't make one unwritable).
    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, 'x');
    const good = join(exifSamples, 'jpg', 'orientation', 'landscape_1.jpg');
    await rejectsWith(writeGpsCopy(good, notAFolder, RIO), 'IO_ERROR', /not a folder/);
    assert.equal(readFileSync(notAFolder, 'utf8'), 'x');
    assert.deepEqual(readdirSync(dir).sort(), ['a-file', 'damaged.jpg', 'truncated.jpg']);
  });

  it('rejects an EXIF block that would pass the 64 KiB segment limit', async (t) => {
    const dir = tempDir(t, 'lp-gps-');
    const src = join(dir, 'full.jpg');
    writeFileSync(
      src,
      await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
        .jpeg()
        .withExif({ IFD0: { ImageDescription: 'x'.repeat(65300) } })
        .toBuffer(),
    );
    await rejectsWith(
      writeGpsCopy(src, join(dir, 'out'), RIO),
      'UNSUPPORTED',
      /JPEG limit of 65527/,
    );
    assert.deepEqual(readdirSync(dir), ['full.jpg']);
  });
});

describe('EXIF GPS: photos without EXIF', () => {
  it('adds an EXIF segment after JFIF, or right after SOI when there is no JFIF', async () => {
    const bare = await plainJpeg();
    assert.equal(await exifr.parse(bare, { tiff: true }), undefined, 'no EXIF to begin with');
    assert.equal(jpegParts(bare).segments[0]?.marker, 0xdb, 'sharp writes no APP0 here');
    // A JFIF APP0 declaring 300 dots per inch, as many scanners and editors write.
    const app0 = Buffer.from([
      0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 1, 1, 0x2c, 1, 0x2c, 0, 0,
    ]);
    const jfif = Buffer.concat([bare.subarray(0, 2), app0, bare.subarray(2)]);
    for (const [input, firstMarkers, dpi] of [
      [jfif, [0xe0, 0xe1], 300],
      [bare, [0xe1], 72],
    ] as const) {
      const out = jpegWithGps(input, SYDNEY);
      assertNear(await exifr.gps(out), SYDNEY);
      const a = jpegParts(input);
      const b = jpegParts(out);
      assert.deepEqual(
        b.segments.slice(0, firstMarkers.length).map((s) => s.marker),
        firstMarkers,
      );
      assert.ok(b.scan.equals(a.scan));
      assert.deepEqual(
        b.segments.filter((s) => !isExif(s)).map((s) => s.bytes),
        a.segments.map((s) => s.bytes),
      );
      assert.ok((await pixels(out)).equals(await pixels(input)));
      // The fresh IFD0 has the tags Exif requires of a JPEG, its density agreeing with JFIF's.
      const ifd0 = (await fullParse(out)).ifd0 as Record<string, unknown>;
      assert.equal(ifd0.XResolution, dpi);
      assert.equal(ifd0.YResolution, dpi);
      assert.equal(ifd0.ResolutionUnit, 2);
      assert.equal(ifd0.YCbCrPositioning, 1);
    }
  });

  it('reads back within 1e-6 degrees at the edges of the range', async () => {
    const jpeg = await plainJpeg();
    const points: [number, number][] = [
      [90, 180],
      [-90, -180],
      [0, 0],
      [1e-7, -1e-7],
      [10.99999999999, -0.00000049],
      [-33.86880001, 151.20929999],
      [59.9999999, 179.9999999],
    ];
    for (const [lat, lon] of points) {
      const s = stamp(lat, lon, 'Edge', 'Nowhere');
      assertNear(await exifr.gps(jpegWithGps(jpeg, s)), s);
    }
  });
});

describe('EXIF GPS: writing into originals (opt-in), with a verified backup', () => {
  /** A writable copy of a fixture in `dir`/photos, with a known mode and an old mtime. */
  function original(dir: string, fixture: string, name = 'photo.jpg'): string {
    mkdirSync(join(dir, 'photos'), { recursive: true });
    const path = join(dir, 'photos', name);
    copyFileSync(join(exifSamples, fixture), path);
    chmodSync(path, 0o640);
    utimesSync(path, new Date('2010-05-01T12:00:00Z'), new Date('2010-05-01T12:00:00Z'));
    return path;
  }

  it('backs up byte for byte, then rewrites the original with the new GPS', async (t) => {
    if (!needFixtures(t)) return;
    const dir = tempDir(t, 'lp-gps-');
    const path = original(dir, 'jpg/tests/87_OSError.jpg');
    const before = readFileSync(path);
    const parsedBefore = await allButGps(path);
    const { backup } = await writeGpsIntoOriginal(path, join(dir, 'backup'), WASHINGTON);

    assert.equal(backup, join(dir, 'backup', 'photo.jpg'));
    assert.equal(shaOf(backup), sha(before), 'the backup is byte-identical');
    assert.equal(statSync(backup).mode & 0o777, 0o640);
    assert.equal(statSync(backup).mtime.toISOString(), '2010-05-01T12:00:00.000Z');

    assertNear(await exifr.gps(path), WASHINGTON);
    assert.deepEqual(await allButGps(path), parsedBefore);
    assert.ok(jpegParts(readFileSync(path)).scan.equals(jpegParts(before).scan));
    assert.equal(statSync(path).mode & 0o777, 0o640, 'the mode is kept');
    assert.deepEqual(readdirSync(join(dir, 'photos')), ['photo.jpg'], 'no temp file left');

    // Again: the first backup stays, the second one holds the Washington version.
    const washington = readFileSync(path);
    const again = await writeGpsIntoOriginal(path, join(dir, 'backup'), RIO);
    assert.equal(again.backup, join(dir, 'backup', 'photo-1.jpg'));
    assert.equal(shaOf(again.backup), sha(washington));
    assert.equal(shaOf(backup), sha(before));
    assertNear(await exifr.gps(path), RIO);
  });

  it('rewrites the file a symlink points to and keeps the link', async (t) => {
    if (!needFixtures(t)) return;
    const dir = tempDir(t, 'lp-gps-');
    const real = original(dir, 'jpg/orientation/landscape_6.jpg', 'real.jpg');
    const link = join(dir, 'link.jpg');
    symlinkSync(real, link);
    const { backup } = await writeGpsIntoOriginal(link, join(dir, 'backup'), SYDNEY);
    assert.ok(lstatSync(link).isSymbolicLink());
    assertNear(await exifr.gps(real), SYDNEY);
    assert.equal(backup, join(dir, 'backup', 'real.jpg'));
  });

  it('leaves the original intact when any step fails', async (t) => {
    if (!needFixtures(t)) return;
    const dir = tempDir(t, 'lp-gps-');
    const path = original(dir, 'jpg/gps/DSCN0021.jpg');
    const hash = shaOf(path);
    const backupDir = join(dir, 'backup');
    const untouched = (): void => {
      assert.equal(shaOf(path), hash);
      assert.deepEqual(readdirSync(join(dir, 'photos')), ['photo.jpg'], 'no temp file left');
      assert.ok(!existsSync(backupDir) || readdirSync(backupDir).length === 0, 'no backup left');
    };

    // A file we cannot write into gets no backup at all.
    const heic = join(dir, 'photos', 'phone.HEIC');
    copyFileSync(join(exifSamples, 'heic', 'IMG_5195.HEIC'), heic);
    const heicHash = shaOf(heic);
    await rejectsWith(writeGpsIntoOriginal(heic, backupDir, RIO), 'UNSUPPORTED', /HEIC/);
    assert.equal(shaOf(heic), heicHash);
    assert.ok(!existsSync(backupDir), 'no backup made for a file we refuse');
    rmSync(heic);

    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, 'x');
    await rejectsWith(writeGpsIntoOriginal(path, notAFolder, RIO), 'IO_ERROR', /not a folder/);
    untouched();

    // A failure after the backup: the original stays, the needless backup goes.
    await rejectsWith(
      writeGpsIntoOriginal(path, backupDir, RIO, {
        afterBackup: () => {
          assert.equal(readdirSync(backupDir).length, 1, 'the backup exists at this point');
          return Promise.reject(new Error('disk full'));
        },
      }),
      'IO_ERROR',
      /disk full/,
    );
    untouched();

    // Another program saves the photo while we work: its save wins, ours is abandoned.
    const theirs = Buffer.concat([readFileSync(path), Buffer.from('edited elsewhere')]);
    await rejectsWith(
      writeGpsIntoOriginal(path, backupDir, RIO, {
        afterBackup: () => Promise.resolve(writeFileSync(path, theirs)),
      }),
      'CONFLICT',
      /changed while GPS was being written/,
    );
    assert.ok(readFileSync(path).equals(theirs));
    assert.deepEqual(readdirSync(join(dir, 'photos')), ['photo.jpg'], 'no temp file left');
    assert.equal(readdirSync(backupDir).length, 0);
  });
});
