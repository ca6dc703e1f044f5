/**
 * Names (cities, participants) put into Plotly hover text, which Plotly reads as markup: keep them
 * text. (Plotly's own tags are avoided too except <br>: <b> and <i> become style attributes the
 * strict CSP blocks.)
 */
export const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
