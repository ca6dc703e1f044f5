import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import {
  clampView,
  panBy,
  unitsPerPixel,
  wheelFactor,
  WORLD_VIEW,
  zoomAt,
  type View,
} from './viewport';

/** A press that moved less than this (screen pixels) is a click, not a drag. */
const CLICK_SLOP_PX = 4;

export type ZoomPan = {
  view: View;
  setView: (v: View) => void;
  /** Zooms by `factor` about the frame's centre (the + and − buttons). */
  zoomBy: (factor: number) => void;
  /** True while (and right after) the pointer dragged: a circle's click then is not a click. */
  dragged: () => boolean;
  handlers: {
    onPointerDown: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerMove: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerUp: (e: ReactPointerEvent<SVGSVGElement>) => void;
    onPointerCancel: (e: ReactPointerEvent<SVGSVGElement>) => void;
  };
};

/**
 * Wheel zoom about the pointer and drag to pan for an SVG drawn on the 360 × 180 plane. The wheel
 * listener is added by hand: React's is passive and could not stop the page from scrolling.
 */
export function useZoomPan(svg: React.RefObject<SVGSVGElement | null>): ZoomPan {
  const [view, setRaw] = useState<View>(WORLD_VIEW);
  const drag = useRef<{ x: number; y: number; moved: number; id: number } | null>(null);
  const movedLast = useRef(0);

  const setView = useCallback((v: View): void => setRaw(clampView(v)), []);

  useEffect(() => {
    const el = svg.current;
    if (el === null) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const upp = unitsPerPixel(rect.width);
      const px = (e.clientX - rect.left) * upp;
      const py = (e.clientY - rect.top) * upp;
      setRaw((v) => zoomAt(v, wheelFactor(e.deltaY), px, py));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [svg]);

  const end = (e: ReactPointerEvent<SVGSVGElement>): void => {
    if (drag.current?.id !== e.pointerId) return;
    movedLast.current = drag.current.moved;
    drag.current = null;
  };

  return {
    view,
    setView,
    zoomBy: (factor) => setRaw((v) => zoomAt(v, factor, 180, 90)),
    dragged: () => movedLast.current >= CLICK_SLOP_PX,
    handlers: {
      onPointerDown: (e) => {
        if (e.button !== 0) return;
        drag.current = { x: e.clientX, y: e.clientY, moved: 0, id: e.pointerId };
        movedLast.current = 0;
      },
      onPointerMove: (e) => {
        const d = drag.current;
        if (d === null || d.id !== e.pointerId) return;
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        d.x = e.clientX;
        d.y = e.clientY;
        d.moved += Math.abs(dx) + Math.abs(dy);
        // Capture only once it is a drag, so a plain click still reaches the circle under it.
        if (d.moved >= CLICK_SLOP_PX && !e.currentTarget.hasPointerCapture(e.pointerId))
          e.currentTarget.setPointerCapture(e.pointerId);
        const upp = unitsPerPixel(e.currentTarget.getBoundingClientRect().width);
        setRaw((v) => panBy(v, dx * upp, dy * upp));
      },
      onPointerUp: end,
      onPointerCancel: end,
    },
  };
}
