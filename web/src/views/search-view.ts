import { EventType } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { createSearchForm, type SearchCriteria } from "../components/search-form.js";
import { searchResultList } from "../components/search-results.js";
import { h } from "../dom.js";
import { eventTypeOfSlug } from "../format/labels.js";
import type { View } from "../router.js";

const PAGE_SIZE = 10;

/** The home page: search with type-ahead, filters, and paging through the results. */
export function searchView(app: AppContext, url: URL): View {
  const status = h("p", { class: "result-status", role: "status" });
  const results = h("div", { class: "results" });
  const pager = h("nav", { class: "pager", "aria-label": "Result pages" });
  // Tokens of the pages seen so far, so "Previous" can go back without the server keeping state.
  let pageTokens = [""];
  let page = 0;
  let inFlight: AbortController | undefined;

  const form = createSearchForm(criteriaFrom(url), (criteria) => {
    pageTokens = [""];
    page = 0;
    const query = queryOf(criteria);
    history.replaceState(null, "", query ? `/?${query}` : "/");
    void load(criteria);
  });

  async function load(criteria: SearchCriteria): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    results.setAttribute("aria-busy", "true");
    status.textContent = "Searching…";
    try {
      const response = await app.api.search.searchEvents(
        {
          term: criteria.term,
          date: criteria.date,
          type: eventTypeOfSlug(criteria.type),
          location: criteria.location ? { case: "city", value: criteria.location } : { case: undefined },
          pageSize: PAGE_SIZE,
          pageToken: pageTokens[page] ?? "",
        },
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      pageTokens[page + 1] = response.nextPageToken;
      form.suggestCities(response.events.map((event) => event.city));
      results.replaceChildren(response.events.length > 0 ? searchResultList(response.events) : h("p", { class: "empty" }, "Try fewer words, another city or another date."));
      status.textContent = response.events.length === 0 ? "No events match your search." : `Page ${page + 1}: ${response.events.length} event${response.events.length === 1 ? "" : "s"}.`;
      renderPager(criteria, response.nextPageToken !== "");
    } catch (error) {
      if (controller.signal.aborted) return;
      status.textContent = "";
      results.replaceChildren(h("p", { class: "notice notice-error", role: "alert" }, `Search failed: ${problemOf(error).message}`));
      pager.replaceChildren();
    } finally {
      if (inFlight === controller) results.removeAttribute("aria-busy");
    }
  }

  function renderPager(criteria: SearchCriteria, hasNext: boolean): void {
    const go = (delta: number) => () => {
      page += delta;
      void load(criteria).then(() => status.focus());
    };
    pager.replaceChildren(
      page > 0 ? h("button", { type: "button", class: "button", onclick: go(-1) }, "Previous page") : "",
      hasNext ? h("button", { type: "button", class: "button", onclick: go(1) }, "Next page") : "",
    );
  }

  status.tabIndex = -1;
  void load(form.criteria());
  return {
    title: "Find events",
    element: h("section", { class: "page search-page" }, h("h1", {}, "Find events"), form.element, status, results, pager),
    dispose: () => inFlight?.abort(),
  };
}

function criteriaFrom(url: URL): SearchCriteria {
  const type = url.searchParams.get("type") ?? "";
  return {
    term: url.searchParams.get("term") ?? "",
    location: url.searchParams.get("location") ?? "",
    date: url.searchParams.get("date") ?? "",
    type: eventTypeOfSlug(type) === EventType.UNSPECIFIED ? "" : type,
  };
}

function queryOf(criteria: SearchCriteria): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(criteria)) if (value) params.set(name, value);
  return params.toString();
}
