import type { SectionSummary } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { h } from "../dom.js";
import { formatMoney } from "../format/money.js";

/** Price per section, as the catalog summarises it. */
export function priceTiers(sections: readonly SectionSummary[], sectionName: (code: string) => string): HTMLElement {
  return h(
    "section",
    { class: "price-tiers", "aria-labelledby": "price-tiers-heading" },
    h("h2", { id: "price-tiers-heading" }, "Prices"),
    h(
      "dl",
      {},
      sections.map((summary) => h("div", { class: "price-tier" }, h("dt", {}, sectionName(summary.section)), h("dd", {}, formatMoney(summary.price)))),
    ),
  );
}
