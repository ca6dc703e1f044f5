// The Plotly calls of the ML views (line charts, bars with error bars, shapes and annotations),
// typed for the basic partial bundle. Merges with the declarations in features/splits: the extra
// `react` signature below becomes an overload.
declare module 'plotly.js/dist/plotly-basic.min.js' {
  export type MlMarker = {
    color?: string | string[];
    size?: number | number[];
    symbol?: string;
    opacity?: number;
    line?: { color?: string; width?: number };
  };
  export type MlScatterTrace = {
    type: 'scatter';
    name?: string;
    x: (number | string)[];
    y: (number | string | null)[];
    mode?: 'lines' | 'markers' | 'lines+markers' | 'text' | 'markers+text';
    line?: { color?: string; width?: number; dash?: 'solid' | 'dash' | 'dot' };
    marker?: MlMarker;
    text?: string[];
    customdata?: (string | number)[];
    hovertemplate?: string;
    hoverinfo?: 'skip' | 'none';
    showlegend?: boolean;
    connectgaps?: boolean;
  };
  export type MlBarTrace = {
    type: 'bar';
    name?: string;
    x: (number | string)[];
    y: (number | string)[];
    orientation?: 'h' | 'v';
    width?: number | number[];
    marker?: MlMarker;
    text?: string[];
    textposition?: 'auto' | 'inside' | 'outside' | 'none';
    insidetextanchor?: 'start' | 'middle' | 'end';
    customdata?: (string | number)[];
    hovertemplate?: string;
    showlegend?: boolean;
    error_x?: MlErrorBar;
    error_y?: MlErrorBar;
  };
  export type MlErrorBar = {
    type: 'data';
    symmetric: false;
    array: number[];
    arrayminus: number[];
    color?: string;
    thickness?: number;
    width?: number;
  };
  export type MlTrace = MlScatterTrace | MlBarTrace;
  export type MlShape = {
    type: 'line' | 'rect';
    xref?: 'x' | 'paper';
    yref?: 'y' | 'paper';
    x0: number | string;
    x1: number | string;
    y0: number | string;
    y1: number | string;
    fillcolor?: string;
    line?: { color?: string; width?: number; dash?: 'solid' | 'dash' | 'dot' };
    layer?: 'above' | 'below';
  };
  export type MlAnnotation = {
    x: number | string;
    y: number | string;
    xref?: 'x' | 'paper';
    yref?: 'y' | 'paper';
    text: string;
    showarrow?: boolean;
    font?: { size?: number; color?: string };
    xanchor?: 'left' | 'center' | 'right';
    yanchor?: 'top' | 'middle' | 'bottom';
    textangle?: number;
  };
  export type MlAxis = {
    title?: { text: string; standoff?: number };
    range?: [number, number];
    rangemode?: 'tozero' | 'normal';
    tickvals?: number[];
    ticktext?: string[];
    tickformat?: string;
    dtick?: number;
    automargin?: boolean;
    autorange?: boolean | 'reversed';
    zeroline?: boolean;
    showgrid?: boolean;
    fixedrange?: boolean;
    scaleanchor?: 'x' | 'y';
    constrain?: 'domain' | 'range';
    side?: 'top' | 'bottom' | 'left' | 'right';
    tickangle?: number;
    type?: 'linear' | 'category';
  };
  export type MlLayout = {
    height?: number;
    margin?: { l?: number; r?: number; t?: number; b?: number };
    barmode?: 'stack' | 'group' | 'overlay';
    bargap?: number;
    showlegend?: boolean;
    legend?: { orientation?: 'h' | 'v'; x?: number; y?: number; xanchor?: 'left' | 'right' };
    xaxis?: MlAxis;
    yaxis?: MlAxis;
    shapes?: MlShape[];
    annotations?: MlAnnotation[];
    hovermode?: 'closest' | 'x unified' | 'x' | false;
    paper_bgcolor?: string;
    plot_bgcolor?: string;
    font?: { family?: string; size?: number; color?: string };
  };
  export function react(
    root: HTMLElement,
    data: MlTrace[],
    layout: MlLayout,
    config?: Config,
  ): Promise<HTMLElement>;
}
