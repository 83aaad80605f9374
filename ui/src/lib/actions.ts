/** `use:initialFocus` — focus this element when it is first shown. */
export function initialFocus(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) node.focus();
}
