// The few Plotly calls the studio makes, typed for the basic partial bundle (no @types/plotly.js).
declare module 'plotly.js/dist/plotly-basic.min.js' {
  export type BarTrace = {
    type: 'bar';
    name: string;
    x: string[];
    y: number[];
    marker?: { color: string };
    hovertemplate?: string;
  };
  export type Layout = {
    barmode?: 'stack' | 'group';
    margin?: { l?: number; r?: number; t?: number; b?: number };
    height?: number;
    legend?: {
      orientation?: 'h' | 'v';
      x?: number;
      y?: number;
      traceorder?: 'normal' | 'reversed';
    };
    xaxis?: { title?: { text: string }; automargin?: boolean; tickangle?: number };
    yaxis?: { title?: { text: string }; rangemode?: 'tozero'; dtick?: number };
    paper_bgcolor?: string;
    plot_bgcolor?: string;
    font?: { family?: string; size?: number; color?: string };
  };
  export type Config = { displayModeBar?: boolean; responsive?: boolean; displaylogo?: boolean };
  export function react(
    root: HTMLElement,
    data: BarTrace[],
    layout: Layout,
    config?: Config,
  ): Promise<HTMLElement>;
  export function purge(root: HTMLElement): void;
}
