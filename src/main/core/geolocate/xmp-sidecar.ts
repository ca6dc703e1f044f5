// XMP sidecars for geolocated photos: the estimated city written beside the photo, never into it.
// Photo managers read `<name>.xmp` next to `<name>.jpg` (Lightroom, exiftool) or `<name>.jpg.xmp`
// (darktable, digiKam); see `SidecarNamer` for which one is written. The GPS fields use XMP's "DDD,MM.mmmmK" form from the EXIF-in-XMP schema, and the description
// says plainly that the position is a model's estimate of the city centre, not a measurement.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { IMAGE_EXTENSIONS } from '../import/file-names';
import type { ExportReview } from './exports';
import { removeLeftTemps, tempPathFor } from './left-temps';

export type SidecarFacts = {
  city: string;
  country: string;
  lat: number;
  lon: number;
  /** The model's probability of the city, 0..1. */
  confidence: number;
  modelId: string;
  /** A reviewer's part in the city (default: none, the model's estimate alone). */
  review?: ExportReview;
  /**
   * The model answered "unknown" (the photo looks like none of its cities) and the user asked for
   * its forced choice anyway: the sidecar says so.
   */
  forcedChoice?: boolean;
};

/** The marker that tells our own sidecars (safe to replace) from anybody else's. */
export const SIDECAR_CREATOR = 'LittlePlaNet Studio';

const stemKey = (name: string): string => basename(name, extname(name)).toLowerCase();
const isPhotoName = (name: string): boolean =>
  IMAGE_EXTENSIONS.has(extname(name).slice(1).toLowerCase());

/**
 * Where a photo's sidecar goes, so that two photos never share one. `photo.jpg` → `photo.xmp` (the
 * Adobe form, which Lightroom reads and darktable / digiKam read too) while no other photo in the
 * folder has the same name with another extension. When one does (`a.jpg` + `a.JPEG`,
 * `IMG_1.HEIC` + `IMG_1.JPG`; compared ignoring case, as macOS and Windows file systems do), each
 * of them gets `photo.ext.xmp` (the darktable / digiKam form, which keeps the extension).
 * `siblings` is the folder's listing; `sidecarPath` reads it.
 */
export function sidecarPathAmong(photo: string, siblings: readonly string[]): string {
  const key = stemKey(photo);
  const own = basename(photo);
  const shared = siblings.some((n) => n !== own && isPhotoName(n) && stemKey(n) === key);
  return join(dirname(photo), shared ? `${own}.xmp` : `${basename(photo, extname(photo))}.xmp`);
}

/** Folder listings for a run of sidecars (a batch's photos share a few folders). */
export class SidecarNamer {
  private readonly listings = new Map<string, string[]>();

  listing(dir: string): string[] {
    let names = this.listings.get(dir);
    if (names === undefined) {
      try {
        names = readdirSync(dir);
      } catch {
        names = [];
      }
      this.listings.set(dir, names);
    }
    return names;
  }

  pathFor(photo: string): string {
    return sidecarPathAmong(photo, this.listing(dirname(photo)));
  }
}

/** The sidecar path of one photo (reads its folder). */
export function sidecarPath(photo: string): string {
  return new SidecarNamer().pathFor(photo);
}

/** 48.8566 → "48,51.3960N" (degrees, decimal minutes, hemisphere). */
export function xmpCoordinate(value: number, axis: 'lat' | 'lon'): string {
  const hemisphere = axis === 'lat' ? (value >= 0 ? 'N' : 'S') : value >= 0 ? 'E' : 'W';
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutes = (abs - degrees) * 60;
  return `${degrees},${minutes.toFixed(4)}${hemisphere}`;
}

/**
 * Characters XML 1.0 forbids (most C0 controls, U+FFFE/U+FFFF, unpaired surrogates) make the whole
 * sidecar unreadable, and tab / CR / LF in an attribute are folded by parsers; C1 controls and
 * DEL are allowed but mean nothing in a city name. Each becomes a space, so any stored text gives a
 * well-formed sidecar. (With the u flag a surrogate range matches only unpaired halves.)
 */
const NOT_TEXT = /[\p{Cc}\u2028\u2029\ufffe\uffff\ud800-\udfff]/gu;

export const escapeXml = (s: string): string =>
  s
    .replace(NOT_TEXT, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

export function sidecarXml(facts: SidecarFacts, now = new Date()): string {
  const review = facts.review ?? 'none';
  const model = `model ${facts.modelId}, probability ${(100 * facts.confidence).toFixed(1)}%`;
  const who =
    review === 'corrected'
      ? `City set by a reviewer in ${SIDECAR_CREATOR}: ${facts.city} (the ${model}).`
      : `Location estimated by ${SIDECAR_CREATOR} (${model}): ${facts.city}${review === 'accepted' ? ', confirmed by a reviewer' : ''}.`;
  const forced = facts.forcedChoice === true;
  const caveat = forced
    ? ' Forced choice: the photo looks like none of the cities the model knows, so the city is probably wrong.'
    : '';
  const note = `${who}${caveat} The position is the city centre, not where the photo was taken.`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:lp="https://littleplanet.studio/ns/1.0/"
    exif:GPSLatitude="${xmpCoordinate(facts.lat, 'lat')}"
    exif:GPSLongitude="${xmpCoordinate(facts.lon, 'lon')}"
    exif:GPSMapDatum="WGS-84"
    photoshop:City="${escapeXml(facts.city)}"
    photoshop:Country="${escapeXml(facts.country)}"
    xmp:CreatorTool="${SIDECAR_CREATOR}"
    xmp:MetadataDate="${now.toISOString()}"
    lp:EstimatedCity="${escapeXml(facts.city)}"
    lp:Confidence="${facts.confidence.toFixed(4)}"
    lp:Model="${escapeXml(facts.modelId)}"
    lp:Review="${review}"
    lp:ForcedChoice="${forced ? 'True' : 'False'}"
    lp:Estimated="True">
   <dc:description>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">${escapeXml(note)}</rdf:li>
    </rdf:Alt>
   </dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
`;
}

export type SidecarOutcome = { path: string; written: boolean; reason: string | null };

/**
 * Writes the sidecar atomically beside `photo` (named by `namer`, see `sidecarPathAmong`). An
 * existing sidecar is replaced only when we wrote it (its creator tool is ours): someone else's
 * edits are never lost. A temp file a killed earlier write left is removed. The photo is not
 * opened.
 */
export function writeSidecar(
  photo: string,
  facts: SidecarFacts,
  namer = new SidecarNamer(),
): SidecarOutcome {
  const path = namer.pathFor(photo);
  if (existsSync(path)) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return { path, written: false, reason: `cannot read the existing sidecar: ${String(error)}` };
    }
    if (!text.includes(`CreatorTool="${SIDECAR_CREATOR}"`)) {
      return { path, written: false, reason: 'a sidecar by another program is already there' };
    }
  }
  removeLeftTemps(path, namer.listing(dirname(path)));
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, sidecarXml(facts));
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new AppError('IO_ERROR', `Cannot write ${path}: ${(error as Error).message}`, { path });
  }
  return { path, written: true, reason: null };
}
