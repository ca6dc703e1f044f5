import { useEffect, useRef, useState } from 'react';
import * as Plotly from 'plotly.js/dist/plotly-basic.min.js';
import type { MlLayout, MlScatterTrace } from 'plotly.js/dist/plotly-basic.min.js';
import { imageIdsOf } from './scatter-data';

export type DragMode = 'lasso' | 'select' | 'zoom' | 'pan';

/** What Plotly passes to its hover, click and selection handlers (the part used here). */
type PlotEvent = { points?: { customdata?: unknown }[]; event?: MouseEvent } | undefined;
type PlotEvents = {
  on: (name: string, handler: (event: PlotEvent) => void) => void;
};

// Plotly adds `on` to the chart's root element once it has drawn there.
function hasEvents(el: HTMLElement): el is HTMLElement & PlotEvents {
  return typeof (el as Partial<PlotEvents>).on === 'function';
}

export type ScatterHandlers = {
  onHover: (imageId: number | null, x: number, y: number) => void;
  onClick: (imageId: number) => void;
  /** Ids of a lasso or box selection; empty when the selection is cleared. */
  onSelect: (imageIds: number[]) => void;
};

const LAYOUT: MlLayout = {
  height: 460,
  margin: { l: 20, r: 10, t: 10, b: 20 },
  hovermode: 'closest',
  showlegend: true,
  // Beside the plot, not over it: a legend over points would swallow their hover and clicks.
  legend: { orientation: 'v', x: 1.02, xanchor: 'left', y: 1 },
  xaxis: { showgrid: false, zeroline: false, tickvals: [] },
  yaxis: { showgrid: false, zeroline: false, tickvals: [] },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  font: { family: 'system-ui, sans-serif', size: 12, color: '#334' },
};

/**
 * The feature map as a Plotly scatter that reports hover, click and selection by image id.
 * (The shared PlotlyChart draws only; this one listens.) `data-drawn` counts finished draws.
 */
export function EmbedScatter(props: {
  data: MlScatterTrace[];
  dragmode: DragMode;
  handlers: ScatterHandlers;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const handlers = useRef(props.handlers);
  handlers.current = props.handlers;
  const listening = useRef(false);
  const [drawn, setDrawn] = useState(0);
  const { data, dragmode } = props;

  useEffect(() => {
    const root = ref.current;
    if (root === null) return;
    let current = true;
    // A layout with `dragmode` (lasso or box selection) is still a layout Plotly takes.
    const layout: MlLayout & { dragmode: DragMode } = { ...LAYOUT, dragmode };
    Plotly.react(root, data, layout, { displayModeBar: false, responsive: true }).then(
      () => {
        if (!listening.current && hasEvents(root)) {
          listening.current = true;
          const cursor = (e: PlotEvent): [number, number] => {
            const box = root.getBoundingClientRect();
            return [(e?.event?.clientX ?? 0) - box.left, (e?.event?.clientY ?? 0) - box.top];
          };
          root.on('plotly_hover', (e) => {
            const [x, y] = cursor(e);
            handlers.current.onHover(imageIdsOf(e?.points ?? [])[0] ?? null, x, y);
          });
          root.on('plotly_unhover', () => handlers.current.onHover(null, 0, 0));
          root.on('plotly_click', (e) => {
            const id = imageIdsOf(e?.points ?? [])[0];
            if (id !== undefined) handlers.current.onClick(id);
          });
          root.on('plotly_selected', (e) => handlers.current.onSelect(imageIdsOf(e?.points ?? [])));
          root.on('plotly_deselect', () => handlers.current.onSelect([]));
        }
        if (current) setDrawn((n) => n + 1);
      },
      (error: unknown) => console.error('plotly failed to draw the feature map', error),
    );
    return () => {
      current = false;
    };
  }, [data, dragmode]);

  useEffect(() => {
    const root = ref.current;
    return () => {
      if (root !== null) Plotly.purge(root);
    };
  }, []);

  return (
    <div
      ref={ref}
      className="ml-chart explain-scatter"
      role="img"
      aria-label="Feature map: photos the model finds alike sit together"
      data-testid="embed-chart"
      data-drawn={drawn}
      data-points={data.reduce((n, t) => n + t.x.length, 0)}
    />
  );
}
