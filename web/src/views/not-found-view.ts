import { h } from "../dom.js";
import type { View } from "../router.js";

export function notFoundView(): View {
  return {
    title: "Page not found",
    element: h("section", { class: "page" }, h("h1", {}, "Page not found"), h("p", {}, "There is nothing at this address. ", h("a", { href: "/" }, "Find events"), ".")),
  };
}
