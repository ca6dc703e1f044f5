import { useEffect, useRef, useState } from 'react';
import * as Plotly from 'plotly.js/dist/plotly-basic.min.js';
import type { MlLayout, MlTrace } from 'plotly.js/dist/plotly-basic.min.js';

/** The look every ML chart shares (transparent background, the app's font). */
const BASE_LAYOUT: MlLayout = {
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  font: { family: 'system-ui, sans-serif', size: 12, color: '#334' },
  margin: { l: 52, r: 16, t: 10, b: 40 },
};

/** A clicked point: its trace and index, and its x / y data values. */
export type ChartPoint = {
  curveNumber: number;
  pointNumber: number;
  x: number | string;
  y: number | string;
};

/** The event side of a drawn Plotly div (plotly.js adds `on` to it on the first draw). */
type PlotlyEventTarget = {
  on(event: 'plotly_click', handler: (event: { points?: ChartPoint[] }) => void): void;
};

/**
 * One Plotly chart from the basic bundle (no eval, no injected styles: safe under the strict CSP).
 * `data-drawn` counts finished draws so tests can wait for a chart instead of sleeping.
 */
export function PlotlyChart(props: {
  data: MlTrace[];
  layout: MlLayout;
  label: string;
  testId: string;
  className?: string;
  /** Called with the clicked point (first of `points`); the chart shows a pointer cursor. */
  onPointClick?: (point: ChartPoint) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(0);
  const { data, layout } = props;
  // The latest handler, read at click time, so re-renders need not re-bind Plotly's listener.
  const onPointClick = useRef(props.onPointClick);
  onPointClick.current = props.onPointClick;
  const listening = useRef(false);

  useEffect(() => {
    const root = ref.current;
    if (root === null) return;
    let current = true;
    Plotly.react(
      root,
      data,
      { ...BASE_LAYOUT, ...layout },
      {
        displayModeBar: false,
        responsive: true,
      },
    ).then(
      () => {
        if (!listening.current) {
          listening.current = true;
          (root as unknown as PlotlyEventTarget).on('plotly_click', (event) => {
            const point = event.points?.[0];
            if (point !== undefined) onPointClick.current?.(point);
          });
        }
        if (current) setDrawn((n) => n + 1);
      },
      (error: unknown) => console.error(`plotly failed to draw ${props.testId}`, error),
    );
    return () => {
      current = false;
    };
  }, [data, layout, props.testId]);

  useEffect(() => {
    const root = ref.current;
    return () => {
      if (root !== null) Plotly.purge(root);
    };
  }, []);

  return (
    <div
      ref={ref}
      className={`ml-chart ${props.className ?? ''}${props.onPointClick ? ' clickable' : ''}`}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      data-drawn={drawn}
    />
  );
}
