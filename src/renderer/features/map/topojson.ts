// A minimal TopoJSON reader for the basemap: just enough to turn world-atlas's quantized land
// arcs into polygon rings, so the map needs no TopoJSON library (and no network) at run time.

/** Quantized, delta-encoded arcs of a TopoJSON topology (positions in integer grid steps). */
export type Topology = {
  type: string;
  transform?: { scale: readonly number[]; translate: readonly number[] };
  arcs: number[][][];
  objects: Record<string, TopoGeometry>;
};

export type TopoGeometry =
  | { type: 'GeometryCollection'; geometries: TopoGeometry[] }
  | { type: 'Polygon'; arcs: number[][] }
  | { type: 'MultiPolygon'; arcs: number[][][] }
  | { type: string; arcs?: unknown };

export type Ring = [number, number][];

/** Every arc as absolute [lon, lat] positions (undoing the delta encoding and the quantization). */
export function decodeArcs(topology: Topology): Ring[] {
  const t = topology.transform;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map((p): [number, number] => {
      const px = p[0] ?? 0;
      const py = p[1] ?? 0;
      if (t === undefined) return [px, py];
      x += px;
      y += py;
      return [
        x * (t.scale[0] ?? 1) + (t.translate[0] ?? 0),
        y * (t.scale[1] ?? 1) + (t.translate[1] ?? 0),
      ];
    });
  });
}

/**
 * One ring from its arc indexes: a negative index `~i` means arc i walked backwards. Consecutive
 * arcs share their joining point, so it is kept once.
 */
export function stitchRing(indexes: readonly number[], arcs: readonly Ring[]): Ring {
  const ring: Ring = [];
  for (const index of indexes) {
    const arc = arcs[index < 0 ? ~index : index] ?? [];
    const points = index < 0 ? [...arc].reverse() : arc;
    points.forEach((p, i) => {
      if (i > 0 || ring.length === 0) ring.push(p);
    });
  }
  return ring;
}

/** All polygon rings (outer and holes alike) of one object of the topology. */
export function objectRings(topology: Topology, name: string): Ring[] {
  const arcs = decodeArcs(topology);
  const rings: Ring[] = [];
  const visit = (g: TopoGeometry): void => {
    if (g.type === 'GeometryCollection' && 'geometries' in g) g.geometries.forEach(visit);
    else if (g.type === 'Polygon' && Array.isArray(g.arcs)) {
      for (const r of g.arcs as number[][]) rings.push(stitchRing(r, arcs));
    } else if (g.type === 'MultiPolygon' && Array.isArray(g.arcs)) {
      for (const polygon of g.arcs as number[][][])
        for (const r of polygon) rings.push(stitchRing(r, arcs));
    }
  };
  const root = topology.objects[name];
  if (root !== undefined) visit(root);
  return rings;
}
