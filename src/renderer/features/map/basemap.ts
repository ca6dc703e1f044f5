// The offline basemap: Natural Earth's 1:110m land (world-atlas, ISC, about 55 KB bundled) as one
// SVG path on the map's 360 × 180 plane, read with topojson-client. Built once, on first use.
import type { Position } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import land from 'world-atlas/land-110m.json';
import { project } from './viewport';

/** A ring of [lon, lat] points. */
export type Ring = [number, number][];

const lonLat = ([lon = 0, lat = 0]: Position): [number, number] => [lon, lat];

/** Every polygon ring (outer rings and holes alike) of one object of a topology. */
export function topologyRings(topology: Topology, name: string): Ring[] {
  const object = topology.objects[name];
  if (object === undefined) return [];
  const geo = feature(topology, object);
  const features = geo.type === 'FeatureCollection' ? geo.features : [geo];
  return features.flatMap(({ geometry }) => {
    const rings =
      geometry.type === 'Polygon'
        ? geometry.coordinates
        : geometry.type === 'MultiPolygon'
          ? geometry.coordinates.flat()
          : [];
    return rings.map((ring) => ring.map(lonLat));
  });
}

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
    // The JSON's inferred type is wider than the TopoJSON spec's literal unions.
    cached = topologyRings(land as unknown as Topology, 'land')
      .map(ringToPath)
      .join('');
  }
  return cached;
}
