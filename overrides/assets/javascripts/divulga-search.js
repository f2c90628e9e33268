/* Divulga: the site search in Material's header, on Pagefind's JavaScript API.
 *
 * Markup: overrides/divulga/partials/search.html. Pagefind loads the index of
 * the page's <html lang>, so every language searches only its own pages.
 *
 * The input is a WAI-ARIA combobox (aria-expanded, aria-controls,
 * aria-activedescendant) controlling a listbox whose options hold a link:
 * ArrowDown/ArrowUp move through the results, Enter opens the active one,
 * Escape closes the panel. The result count goes to a polite live region.
 *
 * Material's "__search" toggle (the checkbox its CSS keys on) drives the
 * look: a wider field and a dimmed page on wide screens, a full-screen search
 * on narrow ones. Without a Pagefind bundle the search is hidden, quietly.
 */
(() => {
  "use strict";

  const PAGE_SIZE = 10;
  const WIDE = window.matchMedia("(min-width: 60em)");

  const root = document.querySelector("[data-divulga-search]");
  const form = root && root.querySelector("[data-divulga-search-form]");
  const toggle = document.getElementById("__search");
  if (!root || !form || !toggle) return;

  const opener = document.querySelector("[data-divulga-search-open]");
  const input = form.querySelector("[role=combobox]");
  const closeButton = form.querySelector("[data-divulga-search-close]");
  const panel = root.querySelector("[data-divulga-search-panel]");
  const filterGroup = root.querySelector("[data-divulga-search-filters]");
  const selects = Array.from(root.querySelectorAll("select[data-filter]"));
  const status = root.querySelector("[data-divulga-search-status]");
  const list = root.querySelector("[data-divulga-search-results]");
  const moreButton = root.querySelector("[data-divulga-search-more]");
  const lang = document.documentElement.lang || undefined;
  const strings = form.dataset;

  let pagefind = null; // the module, once imported and configured
  let initialized = false;
  let current = null; // {results, shown} of the displayed search
  let active = -1; // index of the active option, -1 for none
  let generation = 0; // discards results of superseded searches
  let loadingMore = false;
  let quietFocus = false; // focusing the input ourselves: do not reopen

  /* -- Loading --------------------------------------------------------------- */

  // data-bundle is relative to the page ("../pagefind/"): import() needs a URL
  const bundle = new URL(form.dataset.bundle || "pagefind/", document.baseURI).href;
  let loading = null;
  let filterValues = null; // name -> values, from pagefind/<lang>.json

  /* Pagefind's script, fetched when the reader first turns to the search
     (not with every page: most readers never search). */
  function ready() {
    loading = loading || import(bundle + "pagefind.js")
      .then(async (module) => {
        const baseUrl = form.dataset.baseUrl || "/";
        await module.options({ baseUrl });
        // pagefind/it.json: a large language's index comes in several bundles (pagefind/it/,
        // pagefind/it-2/, ...), "bundles" names the others, merged into this one's search;
        // "filters" lists the values of each filter (divulga.write.search_index).
        const listing = await fetch(bundle.replace(/\/$/, "") + ".json")
          .then((response) => (response.ok ? response.json() : null))
          .catch(() => null);
        const others = listing && Array.isArray(listing.bundles) ? listing.bundles : [];
        filterValues = listing && listing.filters && typeof listing.filters === "object" ? listing.filters : null;
        for (const other of others) {
          await module.mergeIndex(new URL(other, bundle).href, { baseUrl });
        }
        pagefind = module;
        return module;
      })
      .catch(() => {
        // no index (e.g. an old build): no search box rather than a broken one
        if (opener) opener.hidden = true;
        root.hidden = true;
        setOpen(false);
        return null;
      });
    return loading;
  }

  /* Loads Pagefind's index and the filter values on first use. */
  function warmUp() {
    ready().then((module) => {
      if (!module || initialized) return;
      initialized = true;
      module.init();
      // The lists come from pagefind/<lang>.json: Pagefind's own filters() would load the
      // filter indexes of every bundle, which a search without a filter does not need.
      fillFilters(filterValues);
    });
  }

  /* -- Filters --------------------------------------------------------------- */

  function typeLabel(value) {
    return strings["type" + value.charAt(0).toUpperCase() + value.slice(1)] || value;
  }

  function fillFilters(available) {
    const collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
    let any = false;
    for (const select of selects) {
      const name = select.dataset.filter;
      const found = available && available[name];
      const values = Array.isArray(found) ? found.filter((v) => typeof v === "string") : [];
      if (!values.length) continue;
      if (name === "year") values.sort((a, b) => collator.compare(b, a));
      else values.sort((a, b) => collator.compare(name === "type" ? typeLabel(a) : a,
                                                  name === "type" ? typeLabel(b) : b));
      for (const value of values) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = name === "type" ? typeLabel(value) : value;
        select.append(option);
      }
      select.parentElement.hidden = false;
      any = true;
    }
    filterGroup.hidden = !any;
  }

  function chosenFilters() {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    return filters;
  }

  /* -- Searching ------------------------------------------------------------- */

  async function runSearch() {
    const run = ++generation;
    const term = input.value.trim();
    const filters = chosenFilters();
    const filtering = Object.keys(filters).length > 0;
    const module = await ready();
    if (!module || run !== generation) return;
    if (!term && !filtering) {
      clearResults();
      status.textContent = "";
      showPanel(false);
      return;
    }
    warmUp();
    // a null term with filters lists every page that matches them
    const search = await module.debouncedSearch(term || null, { filters });
    if (search === null || run !== generation) return; // superseded
    const first = await loadBatch(search.results, 0);
    if (run !== generation) return;
    current = { results: search.results, shown: 0 };
    clearResults();
    render(first);
    announce(search.results.length);
    showPanel(true);
  }

  /* The data (url, title, excerpt, meta) of up to PAGE_SIZE results from start. */
  function loadBatch(results, start) {
    const batch = results.slice(start, start + PAGE_SIZE);
    return Promise.all(batch.map((result) => result.data().catch(() => null)))
      .then((data) => ({ count: batch.length, data }));
  }

  function render({ count, data }) {
    for (const item of data) {
      if (item) list.append(renderResult(item, list.children.length));
    }
    current.shown += count;
    list.hidden = list.children.length === 0;
    moreButton.parentElement.hidden = current.shown >= current.results.length;
  }

  async function showMore() {
    const run = generation;
    if (loadingMore) return;
    loadingMore = true;
    const batch = await loadBatch(current.results, current.shown);
    loadingMore = false;
    if (run !== generation) return;
    const first = list.children.length;
    render(batch);
    if (list.children.length > first) {
      focusInput();
      setActive(first);
    }
  }

  function safeUrl(url) {
    return typeof url === "string" && /^(\/|https?:\/\/)/.test(url) ? url : null;
  }

  // An option is not a link (no interactive element may sit inside an
  // option): it carries its address in data-href, and a click or Enter on it
  // opens it. Its accessible name is its whole text: title, date, excerpt.
  function renderResult(item, index) {
    const option = document.createElement("li");
    option.className = "divulga-search__result";
    option.id = "divulga-search-option-" + index;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    const url = safeUrl(item.url);
    if (url) option.dataset.href = url;

    const title = document.createElement("span");
    title.className = "divulga-search__link";
    title.textContent = (item.meta && item.meta.title) || url || "";
    option.append(title);

    if (item.meta && item.meta.date) {
      const date = document.createElement("span");
      date.className = "divulga-search__date";
      date.textContent = item.meta.date;
      option.append(date);
    }
    if (item.excerpt) {
      const excerpt = document.createElement("span");
      excerpt.className = "divulga-search__excerpt";
      // Pagefind escapes the page text and only adds <mark> elements
      excerpt.innerHTML = item.excerpt;
      option.append(excerpt);
    }
    return option;
  }

  function open(option) {
    if (option && option.dataset.href) window.location.assign(option.dataset.href);
  }

  function announce(count) {
    let text;
    if (count === 0) text = strings.noResults;
    else if (count === 1) text = strings.oneResult;
    else text = strings.results.replace("{count}", new Intl.NumberFormat(lang).format(count));
    status.textContent = text;
  }

  function clearResults() {
    setActive(-1);
    list.replaceChildren();
    list.hidden = true;
    moreButton.parentElement.hidden = true;
  }

  /* -- Open, close, active option -------------------------------------------- */

  function options() {
    return list.children;
  }

  function setActive(index) {
    const all = options();
    if (active >= 0 && all[active]) {
      all[active].classList.remove("divulga-search__result--active");
      all[active].setAttribute("aria-selected", "false");
    }
    active = index >= 0 && index < all.length ? index : -1;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const option = all[active];
    option.classList.add("divulga-search__result--active");
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const count = options().length;
    if (!count) return;
    if (active < 0) setActive(step > 0 ? 0 : count - 1);
    else setActive((active + step + count) % count);
  }

  /* The results panel (the listbox and its filters) below the field. */
  function showPanel(show) {
    const visible = show && toggle.checked && (status.textContent !== "" || options().length > 0);
    panel.hidden = !visible;
    input.setAttribute("aria-expanded", visible ? "true" : "false");
    if (!visible) setActive(-1);
  }

  /* Material's search toggle: the expanded field (wide screens) or the
     full-screen search (narrow screens). */
  function setOpen(open) {
    if (toggle.checked === open) return sync();
    toggle.checked = open;
    // Material listens too: it locks the page's scrolling under the
    // full-screen search on narrow screens
    toggle.dispatchEvent(new Event("change"));
  }

  function sync() {
    const open = toggle.checked;
    closeButton.hidden = !open;
    if (opener) opener.setAttribute("aria-expanded", open ? "true" : "false");
    const asked = input.value.trim() !== "" || Object.keys(chosenFilters()).length > 0;
    showPanel(open && asked);
    if (!open && root.contains(document.activeElement) && !WIDE.matches && opener) {
      opener.focus(); // the full-screen search is gone: back to its button
    }
  }

  function focusInput() {
    quietFocus = true;
    input.focus();
    quietFocus = false;
  }

  function close() {
    const wasInside = root.contains(document.activeElement);
    setOpen(false);
    if (wasInside && WIDE.matches) focusInput();
  }

  /* -- Events ---------------------------------------------------------------- */

  form.addEventListener("submit", (event) => event.preventDefault());

  input.addEventListener("focus", () => {
    warmUp();
    if (!quietFocus && !toggle.checked) setOpen(true);
  });
  input.addEventListener("pointerdown", () => {
    if (!toggle.checked) setOpen(true);
  });
  input.addEventListener("input", () => {
    if (!toggle.checked) setOpen(true);
    setActive(-1);
    runSearch();
  });

  input.addEventListener("keydown", (event) => {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (!toggle.checked) setOpen(true);
        if (panel.hidden) {
          showPanel(true);
          if (panel.hidden) runSearch();
          return;
        }
        move(event.key === "ArrowDown" ? 1 : -1);
        break;
      case "Enter": {
        event.preventDefault();
        open(active >= 0 ? options()[active] : null);
        break;
      }
      case "Escape":
        event.preventDefault();
        event.stopPropagation();
        if (!panel.hidden && !WIDE.matches) {
          showPanel(false); // narrow screens: first the results, then the search
        } else {
          close();
        }
        break;
      default:
    }
  });

  // Escape from the filters, the close or the "more" button
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.target === input) return;
    event.preventDefault();
    event.stopPropagation();
    if (WIDE.matches) close();
    else {
      showPanel(false);
      focusInput();
    }
  });

  for (const select of selects) {
    select.addEventListener("change", () => runSearch());
  }

  moreButton.addEventListener("click", () => {
    if (current) showMore();
  });

  // a click anywhere on a result opens it
  list.addEventListener("click", (event) => open(event.target.closest("[role=option]")));
  list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the field

  closeButton.addEventListener("click", () => {
    setOpen(false);
    if (WIDE.matches) focusInput();
    else if (opener) opener.focus();
  });

  if (opener) {
    opener.addEventListener("click", () => {
      setOpen(true);
      focusInput();
      warmUp();
    });
  }

  // Material's overlay and back arrow are labels of the toggle
  toggle.addEventListener("change", sync);

  // leaving the search with Tab closes it
  root.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (next && !root.contains(next) && toggle.checked) setOpen(false);
  });

  // a click outside closes it (on wide screens Material's overlay does too)
  document.addEventListener("pointerdown", (event) => {
    if (!toggle.checked) return;
    if (root.contains(event.target) || (opener && opener.contains(event.target))) return;
    setOpen(false);
  });

  WIDE.addEventListener("change", sync);

  // a page restored from the back/forward cache shows the search closed
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) setOpen(false);
  });
})();
