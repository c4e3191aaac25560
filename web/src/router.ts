import { focusHeading } from "./dom.js";

/** A page of the app: its element, its title, and what to stop when the user leaves it. */
export interface View {
  element: HTMLElement;
  title: string;
  dispose?(): void;
}

export interface Route {
  path: RegExp;
  render(params: string[], url: URL): View;
}

export interface Navigator {
  navigate(path: string, options?: { replace?: boolean }): void;
}

/**
 * History-API routing: links inside the app change the page without a reload; the edge answers
 * any page path a browser opens directly with index.html.
 */
export function startRouter(outlet: HTMLElement, routes: Route[], notFound: (url: URL) => View): Navigator {
  let current: View | undefined;

  function show(url: URL): void {
    current?.dispose?.();
    const route = routes.find((candidate) => candidate.path.test(url.pathname));
    const params = route ? (route.path.exec(url.pathname)?.slice(1) ?? []).map(decodeURIComponent) : [];
    current = route ? route.render(params, url) : notFound(url);
    outlet.replaceChildren(current.element);
    document.title = `${current.title} · boxoffice`;
    focusHeading(outlet);
    window.scrollTo(0, 0);
  }

  const navigator: Navigator = {
    navigate(path, options = {}) {
      const url = new URL(path, location.origin);
      if (options.replace) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
      show(url);
    },
  };

  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest?.("a");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || link.target || link.hasAttribute("download")) return;
    // In-page anchors (the skip link) keep the browser's own behaviour.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    navigator.navigate(url.pathname + url.search);
  });
  window.addEventListener("popstate", () => show(new URL(location.href)));
  show(new URL(location.href));
  return navigator;
}
