import { h } from "../dom.js";
import { EVENT_TYPES } from "../format/labels.js";

export interface SearchCriteria {
  term: string;
  location: string;
  date: string;
  /** Lower-case type name as in the REST API ("concert"), or "" for any. */
  type: string;
}

export interface SearchForm {
  element: HTMLFormElement;
  criteria(): SearchCriteria;
  /** Cities seen in results, offered as suggestions for the location field. */
  suggestCities(cities: Iterable<string>): void;
}

/**
 * Term (searched as you type), city, day and type. Typing waits for a pause; the other
 * fields and the button search at once.
 */
export function createSearchForm(initial: SearchCriteria, onSearch: (criteria: SearchCriteria) => void): SearchForm {
  const term = h("input", { id: "search-term", name: "term", type: "search", value: initial.term, autocomplete: "off", placeholder: "Artist, team, show or venue", "aria-describedby": "search-hint" });
  const location = h("input", { id: "search-location", name: "location", type: "text", value: initial.location, list: "search-cities", autocomplete: "address-level2", placeholder: "Any city" });
  const cities = h("datalist", { id: "search-cities" });
  const date = h("input", { id: "search-date", name: "date", type: "date", value: initial.date });
  const type = h(
    "select",
    { id: "search-type", name: "type" },
    h("option", { value: "" }, "Any type"),
    EVENT_TYPES.map(({ slug, label }) => h("option", { value: slug }, label)),
  );
  type.value = initial.type;

  const criteria = (): SearchCriteria => ({ term: term.value.trim(), location: location.value.trim(), date: date.value, type: type.value });
  let pause: number | undefined;
  term.addEventListener("input", () => {
    window.clearTimeout(pause);
    pause = window.setTimeout(() => onSearch(criteria()), 250);
  });
  for (const field of [location, date, type]) field.addEventListener("change", () => onSearch(criteria()));

  const element = h(
    "form",
    {
      role: "search",
      class: "search-form",
      "aria-label": "Search events",
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        window.clearTimeout(pause);
        onSearch(criteria());
      },
    },
    h("div", { class: "field field-wide" }, h("label", { for: "search-term" }, "Search"), term, h("small", { id: "search-hint" }, "Results update as you type.")),
    h("div", { class: "field" }, h("label", { for: "search-location" }, "City"), location, cities),
    h("div", { class: "field" }, h("label", { for: "search-date" }, "Date"), date),
    h("div", { class: "field" }, h("label", { for: "search-type" }, "Type"), type),
    h("button", { type: "submit", class: "button primary" }, "Search"),
  );

  const known = new Set<string>();
  return {
    element,
    criteria,
    suggestCities(names) {
      for (const name of names) {
        if (name && !known.has(name)) {
          known.add(name);
          cities.append(h("option", { value: name }));
        }
      }
    },
  };
}
