/**
 * The widget's CSS, injected as a <style> element inside the widget so it
 * works wherever anywidget renders (JupyterLab, Notebook, VS Code, marimo)
 * without a separate stylesheet. Every rule is scoped under `.memwidget`.
 *
 * Colours follow the notebook's theme through JupyterLab's `--jp-*`
 * variables, with fallbacks that read on light and dark pages alike. The
 * base colours come from the Okabe-Ito palette, which stays distinct for
 * colour-blind readers: blue (neutral), orange, vermillion (red).
 */

export const ROW_HEIGHT = 24;

const DARK = [
  'body[data-jp-theme-light="false"]',
  "body.vscode-dark",
  "body.vscode-high-contrast:not(.vscode-high-contrast-light)",
  "body.dark",
  '[data-theme="dark"]',
]
  .map((selector) => `${selector} .memwidget`)
  .join(",\n");

export const CSS = `
.memwidget {
  --mw-neutral: #0072b2;
  --mw-orange: #e69f00;
  --mw-red: #d55e00;
  --mw-grey: #8c8c8c;
  --mw-fg: var(--jp-ui-font-color1, currentColor);
  --mw-fg-strong: var(--jp-ui-font-color0, currentColor);
  --mw-fg-muted: var(--jp-ui-font-color2, rgba(128, 128, 128, 0.95));
  --mw-bg: var(--jp-layout-color0, var(--vscode-editor-background, Canvas));
  --mw-track: rgba(128, 128, 128, 0.18);
  --mw-border: var(--jp-border-color2, rgba(128, 128, 128, 0.35));
  --mw-border-strong: var(--jp-border-color1, rgba(128, 128, 128, 0.6));
  --mw-accent: var(--jp-brand-color1, #0072b2);
  --mw-row-height: ${ROW_HEIGHT}px;
  --mw-columns: minmax(4em, 9em) minmax(160px, 1fr) 10.5em 5em 6.5em 5em
    4.5em 5em;
  position: relative;
  container: memwidget / inline-size;
  box-sizing: border-box;
  padding: 4px 2px;
  color: var(--mw-fg);
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  line-height: 1.35;
}
${DARK} {
  --mw-neutral: #56b4e9;
}
.memwidget *,
.memwidget *::before,
.memwidget *::after {
  box-sizing: inherit;
}
.memwidget [hidden] {
  display: none !important;
}
.memwidget .mw-toolbar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 12px;
  margin-bottom: 6px;
}
.memwidget .mw-toggle {
  display: inline-flex;
}
.memwidget .mw-toggle button {
  font: inherit;
  color: var(--mw-fg);
  background: var(--mw-bg);
  border: 1px solid var(--mw-border-strong);
  padding: 1px 10px;
  cursor: pointer;
}
.memwidget .mw-toggle button:first-child {
  border-radius: 3px 0 0 3px;
}
.memwidget .mw-toggle button:last-child {
  border-radius: 0 3px 3px 0;
  border-left: none;
}
.memwidget .mw-toggle button[aria-pressed="true"] {
  color: var(--jp-ui-inverse-font-color0, #fff);
  background: var(--mw-accent);
  border-color: var(--mw-accent);
}
.memwidget button:focus-visible,
.memwidget input:focus-visible,
.memwidget [tabindex]:focus-visible {
  outline: 2px solid var(--mw-accent);
  outline-offset: 1px;
}
.memwidget .mw-status {
  display: inline-flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: 8px;
  color: var(--mw-fg-muted);
}
.memwidget .mw-state {
  padding: 0 6px;
  border-radius: 8px;
  border: 1px solid currentColor;
  font-size: 0.9em;
}
.memwidget .mw-state[data-state="live"] {
  color: var(--mw-neutral);
}
.memwidget .mw-state[data-state="stale"] {
  color: var(--mw-orange);
}
.memwidget .mw-state[data-state="disconnected"] {
  color: var(--mw-red);
}
.memwidget[data-state="disconnected"] .mw-figures {
  opacity: 0.55;
  filter: grayscale(1);
}
.memwidget .mw-bar {
  position: relative;
  height: 14px;
  background: var(--mw-track);
  border-radius: 2px;
}
.memwidget .mw-seg {
  position: absolute;
  top: 0;
  bottom: 0;
  box-shadow: inset -1px 0 0 var(--mw-bg);
  background: var(--mw-base);
}
.memwidget .mw-bar,
.memwidget .mw-swatch {
  --mw-base: var(--mw-neutral);
}
.memwidget .mw-bar[data-colour="orange"] {
  --mw-base: var(--mw-orange);
}
.memwidget .mw-bar[data-colour="red"] {
  --mw-base: var(--mw-red);
}
.memwidget .mw-seg-unmanaged_old,
.memwidget .mw-swatch-unmanaged_old {
  opacity: 0.65;
}
.memwidget .mw-seg-unmanaged_recent,
.memwidget .mw-swatch-unmanaged_recent {
  opacity: 0.4;
}
.memwidget .mw-seg-process {
  opacity: 0.75;
}
.memwidget .mw-seg-managed_spilled,
.memwidget .mw-swatch.mw-swatch-managed_spilled {
  background: repeating-linear-gradient(
    135deg,
    var(--mw-grey) 0 3px,
    transparent 3px 5px
  );
}
.memwidget .mw-ticks {
  position: absolute;
  top: 0;
  bottom: 0;
  left: 0;
}
.memwidget .mw-tick {
  position: absolute;
  top: -2px;
  bottom: -2px;
  width: 0;
  margin-left: -0.5px;
  border-left: 1px solid var(--mw-fg-muted);
}
.memwidget .mw-tick-limit {
  margin-left: -1px;
  border-left: 2px solid var(--mw-fg-strong);
}
.memwidget .mw-cluster-row {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 6px 16px;
}
.memwidget .mw-cluster-bar {
  flex: 1 1 260px;
  padding: 4px 0;
}
.memwidget .mw-cluster-bar .mw-bar {
  height: 28px;
}
.memwidget .mw-headline {
  flex: 0 1 auto;
  font-variant-numeric: tabular-nums;
}
.memwidget .mw-headline strong {
  color: var(--mw-fg-strong);
}
.memwidget .mw-tools {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 12px;
  margin-bottom: 4px;
}
.memwidget .mw-tools input {
  font: inherit;
  color: var(--mw-fg);
  background: var(--mw-bg);
  border: 1px solid var(--mw-border-strong);
  border-radius: 3px;
  padding: 1px 6px;
  min-width: 14em;
}
.memwidget .mw-count,
.memwidget .mw-empty {
  color: var(--mw-fg-muted);
}
.memwidget .mw-table {
  border-top: 1px solid var(--mw-border);
  border-bottom: 1px solid var(--mw-border);
}
.memwidget .mw-row {
  display: grid;
  grid-template-columns: var(--mw-columns);
  align-items: center;
  column-gap: 8px;
  height: var(--mw-row-height);
  padding: 0 4px;
}
.memwidget .mw-head .mw-row {
  height: auto;
  min-height: var(--mw-row-height);
  align-items: end;
  padding-bottom: 2px;
  border-bottom: 1px solid var(--mw-border);
  color: var(--mw-fg-muted);
}
.memwidget .mw-head .mw-cell {
  white-space: normal;
}
.memwidget .mw-head button {
  font: inherit;
  color: inherit;
  background: none;
  border: none;
  padding: 0;
  cursor: pointer;
  text-align: inherit;
}
.memwidget .mw-head [aria-sort="ascending"],
.memwidget .mw-head [aria-sort="descending"] {
  color: var(--mw-fg-strong);
}
.memwidget .mw-head .mw-arrow {
  display: inline-block;
  width: 1em;
  text-align: center;
}
.memwidget .mw-scroll {
  position: relative;
  overflow-y: auto;
  overflow-x: hidden;
}
.memwidget .mw-spacer {
  position: relative;
}
.memwidget .mw-body .mw-row {
  position: absolute;
  left: 0;
  right: 0;
}
.memwidget .mw-body .mw-row:hover {
  background: var(--mw-track);
}
.memwidget .mw-cell {
  overflow: hidden;
  white-space: nowrap;
  text-overflow: ellipsis;
}
.memwidget .mw-num {
  text-align: right;
  font-variant-numeric: tabular-nums;
}
.memwidget .mw-flag {
  font-size: 0.9em;
  color: var(--mw-fg-muted);
}
.memwidget .mw-flag[data-alarm="true"] {
  color: var(--mw-red);
  font-weight: 600;
}
.memwidget .mw-legend {
  display: flex;
  flex-wrap: wrap;
  gap: 2px 14px;
  margin-top: 6px;
  color: var(--mw-fg-muted);
  font-size: 0.9em;
}
.memwidget .mw-legend-item {
  display: inline-flex;
  align-items: center;
  gap: 4px;
}
.memwidget .mw-swatch {
  display: inline-block;
  position: relative;
  width: 12px;
  height: 10px;
  background: var(--mw-base);
}
.memwidget .mw-swatch-orange {
  --mw-base: var(--mw-orange);
}
.memwidget .mw-swatch-red {
  --mw-base: var(--mw-red);
}
.memwidget .mw-swatch-tick {
  width: 0;
  height: 12px;
  border-left: 1px solid var(--mw-fg-muted);
  background: none;
}
.memwidget .mw-swatch-limit {
  border-left: 2px solid var(--mw-fg-strong);
}
.memwidget .mw-tooltip {
  position: absolute;
  z-index: 10;
  left: 0;
  top: 0;
  overflow: auto;
  pointer-events: none;
  padding: 6px 8px;
  color: var(--jp-ui-font-color0, var(--vscode-editor-foreground, CanvasText));
  background: var(--mw-bg);
  border: 1px solid var(--mw-border-strong);
  border-radius: 3px;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25);
  font-size: 0.95em;
  line-height: 1.25;
  white-space: nowrap;
}
.memwidget .mw-tip-title {
  font-weight: 600;
  /* A name is user text: its direction marks must not reorder what follows. */
  unicode-bidi: isolate;
}
.memwidget .mw-tip-subtitle,
.memwidget .mw-tip-notes {
  color: var(--mw-fg-muted);
}
.memwidget .mw-tip-figures {
  display: grid;
  grid-template-columns: repeat(2, max-content max-content);
  gap: 0 8px;
  margin: 4px 0 0;
}
.memwidget .mw-tip-figures dt {
  color: var(--mw-fg-muted);
}
.memwidget .mw-tip-figures dd {
  margin: 0 8px 0 0;
  text-align: right;
  font-variant-numeric: tabular-nums;
}
@container memwidget (max-width: 760px) {
  .memwidget .mw-secondary {
    display: none;
  }
  .memwidget .mw-table {
    --mw-columns: minmax(5em, 10em) minmax(80px, 1fr) 10em 4em 5em;
  }
}
@container memwidget (max-width: 420px) {
  .memwidget .mw-tip-figures {
    grid-template-columns: max-content max-content;
  }
}
`;
