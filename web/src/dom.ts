type Child = Node | string | number | false | null | undefined;
type AttributeValue = string | number | boolean | undefined | null;
type Attributes = Record<string, AttributeValue | ((event: never) => void)>;

/**
 * Builds an element: attributes by name (true sets an empty attribute, false/undefined leaves
 * it out), `on<event>` handlers, then children (strings become text, never HTML).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false && value !== undefined && value !== null) {
      element.setAttribute(name, String(value));
    }
  }
  element.append(...children.flat().filter((child): child is Node | string | number => child !== false && child !== null && child !== undefined).map((child) => (typeof child === "number" ? String(child) : child)));
  return element;
}

/** Says something to screen-reader users without moving their focus. */
export function announce(message: string): void {
  const region = document.getElementById("announcer");
  if (!region) return;
  // Clearing first makes a repeated message be read again.
  region.textContent = "";
  window.setTimeout(() => (region.textContent = message), 50);
}

/** Moves focus to a page's heading so keyboard and screen-reader users start reading there. */
export function focusHeading(container: HTMLElement): void {
  const heading = container.querySelector<HTMLElement>("h1");
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}
