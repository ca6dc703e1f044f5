// The map's plane and its zoom and pan. The world is drawn equirectangular on a 360 × 180 plane
// (x = lon + 180, y = 90 - lat, as the Library's mini map); the view shows it scaled by `k` and
// shifted by (x, y), in the same units, so zooming and panning are a transform of one <g>.

export const WORLD_W = 360;
export const WORLD_H = 180;
export const MIN_ZOOM = 1;
export const MAX_ZOOM = 40;

/** screen = world · k + (x, y), in viewBox units. */
export type View = { k: number; x: number; y: number };

export const WORLD_VIEW: View = { k: 1, x: 0, y: 0 };

export function project(lat: number, lon: number): { x: number; y: number } {
  return { x: lon + 180, y: 90 - lat };
}

/**
 * Keeps the world covering the frame: no empty band beside it when zoomed in, centred at k = 1.
 * (The frame has the world's own aspect ratio, so one rule serves both axes.)
 */
export function clampView(v: View): View {
  const k = Math.min(Math.max(v.k, MIN_ZOOM), MAX_ZOOM);
  const clampAxis = (offset: number, size: number): number =>
    Math.min(0, Math.max(size - size * k, offset));
  return { k, x: clampAxis(v.x, WORLD_W), y: clampAxis(v.y, WORLD_H) };
}

/** Zooms by `factor` keeping the point (px, py) of the frame (viewBox units) where it is. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const k = Math.min(Math.max(v.k * factor, MIN_ZOOM), MAX_ZOOM);
  const ratio = k / v.k;
  return clampView({ k, x: px - (px - v.x) * ratio, y: py - (py - v.y) * ratio });
}

/** Moves the map by (dx, dy) viewBox units (a drag). */
export function panBy(v: View, dx: number, dy: number): View {
  return clampView({ k: v.k, x: v.x + dx, y: v.y + dy });
}

/** How many viewBox units one screen pixel is, for a frame `clientWidth` pixels wide. */
export function unitsPerPixel(clientWidth: number): number {
  return clientWidth > 0 ? WORLD_W / clientWidth : 1;
}

/** The wheel's zoom step: one notch (about 100 px of deltaY) zooms by 1.25×, up or down. */
export function wheelFactor(deltaY: number): number {
  return Math.pow(1.25, -Math.max(-3, Math.min(3, deltaY / 100)));
}

/** A view that shows all `points` (lat/lon), with a margin, never closer than `maxK`. */
export function fitView(points: readonly { lat: number; lon: number }[], maxK = 8): View {
  if (points.length === 0) return WORLD_VIEW;
  const xs = points.map((p) => project(p.lat, p.lon).x);
  const ys = points.map((p) => project(p.lat, p.lon).y);
  const margin = 12;
  const x0 = Math.min(...xs) - margin;
  const x1 = Math.max(...xs) + margin;
  const y0 = Math.min(...ys) - margin;
  const y1 = Math.max(...ys) + margin;
  const k = Math.min(maxK, WORLD_W / (x1 - x0), WORLD_H / (y1 - y0));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return clampView({ k, x: WORLD_W / 2 - cx * k, y: WORLD_H / 2 - cy * k });
}
