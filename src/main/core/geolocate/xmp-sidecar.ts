// XMP sidecars for geolocated photos: the estimated city written beside the photo, never into it.
// Photo managers (Lightroom, darktable, digiKam, exiftool) read `<name>.xmp` next to `<name>.jpg`;
// the GPS fields use XMP's "DDD,MM.mmmmK" form from the EXIF-in-XMP schema, and the description
// says plainly that the position is a model's estimate of the city centre, not a measurement.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { ExportReview } from './exports';

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

/** `photo.jpg` → `photo.xmp`, in the same folder (the Adobe convention). */
export function sidecarPath(photo: string): string {
  return join(dirname(photo), `${basename(photo, extname(photo))}.xmp`);
}

/** 48.8566 → "48,51.3960N" (degrees, decimal minutes, hemisphere). */
export function xmpCoordinate(value: number, axis: 'lat' | 'lon'): string {
  const hemisphere = axis === 'lat' ? (value >= 0 ? 'N' : 'S') : value >= 0 ? 'E' : 'W';
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  const minutes = (abs - degrees) * 60;
  return `${degrees},${minutes.toFixed(4)}${hemisphere}`;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
 * Writes the sidecar atomically beside `photo`. An existing sidecar is replaced only when we wrote
 * it (its creator tool is ours): someone else's edits are never lost. The photo is not opened.
 */
export function writeSidecar(photo: string, facts: SidecarFacts): SidecarOutcome {
  const path = sidecarPath(photo);
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
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, sidecarXml(facts));
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new AppError('IO_ERROR', `Cannot write ${path}: ${(error as Error).message}`, { path });
  }
  return { path, written: true, reason: null };
}
