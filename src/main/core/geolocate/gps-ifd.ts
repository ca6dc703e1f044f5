// The GPS IFD we write: a position that is an estimate of a city, and says so in the GPS tags
// themselves (GPSAreaInformation, GPSHPositioningError), so the photo's own description is untouched.
import { TIFF_TYPE, type IfdValue, writeU16, writeU32 } from './tiff-ifd';

export type GpsFacts = {
  lat: number;
  lon: number;
  /** Free text for GPSAreaInformation, e.g. "Estimated city: Paris, France (model m1, p=0.83)". */
  area: string;
  /** Horizontal positioning error in metres (GPSHPositioningError): how coarse the estimate is. */
  errorM: number;
};

/** GPS IFD tag numbers (Exif 2.32, section 4.6.6). */
export const GPS_TAG = {
  VersionID: 0x0000,
  LatitudeRef: 0x0001,
  Latitude: 0x0002,
  LongitudeRef: 0x0003,
  Longitude: 0x0004,
  MapDatum: 0x0012,
  AreaInformation: 0x001c,
  HPositioningError: 0x001f,
} as const;

/** The IFD0 tag whose value is the GPS IFD's offset. */
export const GPS_INFO_TAG = 0x8825;

/** Seconds are stored in millionths: 1e-6 arc-second is about 3e-11 degrees, far below 1e-6. */
const SECOND_DENOMINATOR = 1_000_000;
/** Area text longer than this is cut: it is a note, and the whole EXIF block must stay < 64 KiB. */
const MAX_AREA_CHARS = 300;

/**
 * Degrees → [deg/1, min/1, sec·1e6/1e6] as RATIONALs. Splitting an integer count of micro-seconds
 * (not the float) means rounding never yields 60 seconds or 60 minutes.
 */
export function dmsRationals(value: number, le: boolean): Buffer {
  const micro = Math.round(Math.abs(value) * 3600 * SECOND_DENOMINATOR);
  const perDegree = 3600 * SECOND_DENOMINATOR;
  const perMinute = 60 * SECOND_DENOMINATOR;
  const degrees = Math.floor(micro / perDegree);
  const minutes = Math.floor((micro - degrees * perDegree) / perMinute);
  const seconds = micro - degrees * perDegree - minutes * perMinute;
  return rationals(
    [
      [degrees, 1],
      [minutes, 1],
      [seconds, SECOND_DENOMINATOR],
    ],
    le,
  );
}

function rationals(pairs: readonly (readonly [number, number])[], le: boolean): Buffer {
  const out = Buffer.alloc(8 * pairs.length);
  pairs.forEach(([numerator, denominator], i) => {
    writeU32(out, 8 * i, numerator, le);
    writeU32(out, 8 * i + 4, denominator, le);
  });
  return out;
}

const ascii = (text: string): Buffer => Buffer.from(`${text}\0`, 'latin1');

/**
 * An Exif "string with character code" (UNDEFINED): an 8-byte code, then the text without a
 * terminator. Plain ASCII when it fits (every reader handles it); otherwise UNICODE, which readers
 * take as UTF-16 in the block's byte order — city names like "São Paulo" or "東京" survive intact.
 */
export function encodedText(text: string, le: boolean): Buffer {
  const cut = [...text].slice(0, MAX_AREA_CHARS).join('');
  if (/^[\x20-\x7e]*$/.test(cut)) {
    return Buffer.concat([Buffer.from('ASCII\0\0\0', 'latin1'), Buffer.from(cut, 'latin1')]);
  }
  const body = Buffer.alloc(2 * cut.length);
  for (let i = 0; i < cut.length; i++) writeU16(body, 2 * i, cut.charCodeAt(i), le);
  return Buffer.concat([Buffer.from('UNICODE\0', 'latin1'), body]);
}

/** The GPS IFD's entries for `facts`, encoded in the byte order of the block they go into. */
export function gpsIfdValues(facts: GpsFacts, le: boolean): IfdValue[] {
  const area = encodedText(facts.area, le);
  return [
    { tag: GPS_TAG.VersionID, type: TIFF_TYPE.BYTE, count: 4, bytes: Buffer.from([2, 3, 0, 0]) },
    {
      tag: GPS_TAG.LatitudeRef,
      type: TIFF_TYPE.ASCII,
      count: 2,
      bytes: ascii(facts.lat < 0 ? 'S' : 'N'),
    },
    {
      tag: GPS_TAG.Latitude,
      type: TIFF_TYPE.RATIONAL,
      count: 3,
      bytes: dmsRationals(facts.lat, le),
    },
    {
      tag: GPS_TAG.LongitudeRef,
      type: TIFF_TYPE.ASCII,
      count: 2,
      bytes: ascii(facts.lon < 0 ? 'W' : 'E'),
    },
    {
      tag: GPS_TAG.Longitude,
      type: TIFF_TYPE.RATIONAL,
      count: 3,
      bytes: dmsRationals(facts.lon, le),
    },
    { tag: GPS_TAG.MapDatum, type: TIFF_TYPE.ASCII, count: 7, bytes: ascii('WGS-84') },
    { tag: GPS_TAG.AreaInformation, type: TIFF_TYPE.UNDEFINED, count: area.length, bytes: area },
    {
      tag: GPS_TAG.HPositioningError,
      type: TIFF_TYPE.RATIONAL,
      count: 1,
      bytes: rationals([[Math.round(facts.errorM), 1]], le),
    },
  ];
}
