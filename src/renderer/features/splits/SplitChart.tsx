import { useEffect, useRef, useState } from 'react';
import * as Plotly from 'plotly.js/dist/plotly-basic.min.js';
import type { LibraryStats } from '../../../shared/contract/library-types';

const COLORS = { train: '#3b6fd8', val: '#e0a030', test: '#2e9d6b', unassigned: '#c3c9d4' };

/** Labeled photos per city, stacked by split (unassigned photos in grey). */
export function SplitChart(props: { perCity: LibraryStats['perCity'] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(0);
  const { perCity } = props;

  useEffect(() => {
    const root = ref.current;
    if (root === null) return;
    const x = perCity.map((c) => c.city);
    const trace = (name: string, y: number[], color: string): Plotly.BarTrace => ({
      type: 'bar',
      name,
      x,
      y,
      marker: { color },
      hovertemplate: `%{x}: %{y} ${name}<extra></extra>`,
    });
    const data = [
      trace(
        'train',
        perCity.map((c) => c.train),
        COLORS.train,
      ),
      trace(
        'val',
        perCity.map((c) => c.val),
        COLORS.val,
      ),
      trace(
        'test',
        perCity.map((c) => c.test),
        COLORS.test,
      ),
      trace(
        'unassigned',
        perCity.map((c) => Math.max(0, c.total - c.train - c.val - c.test)),
        COLORS.unassigned,
      ),
    ];
    let current = true;
    Plotly.react(
      root,
      data,
      {
        barmode: 'stack',
        height: 320,
        margin: { l: 48, r: 16, t: 8, b: 8 },
        legend: { orientation: 'h', x: 0, y: 1.12, traceorder: 'normal' },
        xaxis: { automargin: true },
        yaxis: {
          title: { text: 'labeled photos' },
          rangemode: 'tozero',
          // Counts are whole photos: no 0.5 ticks on small libraries.
          ...(Math.max(0, ...perCity.map((c) => c.total)) <= 8 ? { dtick: 1 } : {}),
        },
        paper_bgcolor: 'rgba(0,0,0,0)',
        plot_bgcolor: 'rgba(0,0,0,0)',
        font: { family: 'system-ui, sans-serif', size: 12, color: '#334' },
      },
      { displayModeBar: false, responsive: true },
    ).then(
      () => {
        if (current) setDrawn((n) => n + 1);
      },
      (error: unknown) => console.error('plotly failed to draw the split chart', error),
    );
    return () => {
      current = false;
    };
  }, [perCity]);

  useEffect(() => {
    const root = ref.current;
    return () => {
      if (root !== null) Plotly.purge(root);
    };
  }, []);

  return (
    <div
      ref={ref}
      className="split-chart"
      role="img"
      aria-label="Labeled photos per city, stacked by train, validation and test split"
      data-testid="split-chart"
      data-drawn={drawn}
    />
  );
}
