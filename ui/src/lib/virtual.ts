// Windowing for long lists: which rows to render for a scroll position, and
// spacer heights for the rest. Heights are set through the CSSOM
// (element.style), which the CSP allows; a style="" attribute it does not.

export type RowWindow = { start: number; end: number; before: number; after: number };

/**
 * Rows [start, end) to render, with `overscan` extra rows on each side so
 * that fast scrolling and arrow keys do not show gaps.
 */
export function rowWindow(count: number, scrollTop: number, viewport: number, rowHeight: number, overscan: number): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(viewport, rowHeight) / rowHeight);
  const start = Math.max(0, Math.min(first, count) - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end), before: start * rowHeight, after: Math.max(0, count - Math.max(start, end)) * rowHeight };
}

/** `use:cssHeight={px}` — sets the element's height in pixels through the CSSOM. */
export function cssHeight(node: HTMLElement, px: number) {
  node.style.height = `${px}px`;
  return {
    update(next: number) {
      node.style.height = `${next}px`;
    },
  };
}
