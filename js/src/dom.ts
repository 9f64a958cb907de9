/** A small element builder. Strings become text nodes, never markup. */

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/**
 * Set a text only when it changed: cheaper, and keeps text selections. An
 * element that holds one text node keeps it and has its data changed, so
 * the browser lays the text out again without restyling a new node.
 */
export function setText(element: Element, value: string): void {
  const node = element.firstChild;
  if (
    node !== null &&
    node === element.lastChild &&
    node.nodeType === TEXT_NODE &&
    value !== ""
  ) {
    const text = node as Text;
    if (text.data !== value) {
      text.data = value;
    }
  } else if (element.textContent !== value) {
    element.textContent = value;
  }
}

const TEXT_NODE = 3;

export function setAttr(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

export function setHidden(element: HTMLElement, hidden: boolean): void {
  if (element.hidden !== hidden) {
    element.hidden = hidden;
  }
}

export function setStyle(
  element: HTMLElement,
  property: "left" | "width" | "top" | "height" | "maxWidth" | "maxHeight",
  value: string,
): void {
  if (element.style[property] !== value) {
    element.style[property] = value;
  }
}
