// The offline basemap: Natural Earth's 1:110m land (world-atlas, ISC, about 55 KB bundled) as one
// SVG path on the map's 360 × 180 plane. Built once, on first use.
import land from 'world-atlas/land-110m.json';
import { objectRings, type Ring, type Topology } from './topojson';
import { project } from './viewport';

/**
 * One ring as path commands. A jump of more than half the world between two points is a ring
 * running along the date line (Antarctica, Chukotka), so the pen lifts there instead of drawing a
 * line across the whole map.
 */
export function ringToPath(ring: Ring): string {
  let d = '';
  let prevLon: number | null = null;
  for (const [lon, lat] of ring) {
    const p = project(lat, lon);
    const jump = prevLon !== null && Math.abs(lon - prevLon) > 180;
    d += `${prevLon === null || jump ? 'M' : 'L'}${p.x.toFixed(2)} ${p.y.toFixed(2)}`;
    prevLon = lon;
  }
  return d === '' ? '' : `${d}Z`;
}

let cached: string | null = null;

/** The land of the whole world as one path (`fill-rule: evenodd` keeps lakes open). */
export function landPath(): string {
  if (cached === null) {
    const topology: Topology = land;
    cached = objectRings(topology, 'land').map(ringToPath).join('');
  }
  return cached;
}
