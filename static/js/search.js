// The search page: Pagefind's index searched in the browser, with filters and a sort order.
// The form still works without this script (the live server answers ?q= itself); with it, the
// results show as the reader types, and the filters and sort appear.
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fieldset = document.getElementById("search-filters");
  var FILTERS = [["tag", "Tag"], ["director", "Director"], ["year", "Year"],
    ["decade", "Decade"], ["genre", "Genre"], ["rating", "Rating"]];
  var SORTS = [["", "Relevance"], ["date:desc", "Newest first"], ["date:asc", "Oldest first"],
    ["rating:desc", "Highest rated"]];
  var selects = {};
  var pagefind = null;
  var latest = 0;

  function element(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function select(name, label, options) {
    var wrap = element("div", { "class": "search-filter" });
    var id = "search-" + name;
    wrap.appendChild(element("label", { "for": id }, label));
    var box = element("select", { id: id, name: name });
    options.forEach(function (option) { box.appendChild(element("option", { value: option[0] }, option[1])); });
    box.addEventListener("change", run);
    wrap.appendChild(box);
    fieldset.appendChild(wrap);
    selects[name] = box;
  }

  function buildFilters(available) {
    FILTERS.forEach(function (filter) {
      var values = Object.keys(available[filter[0]] || {}).sort();
      if (filter[0] === "year" || filter[0] === "decade" || filter[0] === "rating") values.reverse();
      if (!values.length) return;
      select(filter[0], filter[1], [["", "Any"]].concat(values.map(function (v) { return [v, v]; })));
    });
    select("sort", "Sort by", SORTS);
    fieldset.hidden = false;
  }

  function chosen() {
    var filters = {};
    FILTERS.forEach(function (filter) {
      var box = selects[filter[0]];
      if (box && box.value) filters[filter[0]] = box.value;
    });
    var options = { filters: filters };
    var sort = selects.sort && selects.sort.value;
    if (sort) {
      var parts = sort.split(":");
      options.sort = {};
      options.sort[parts[0]] = parts[1];
    }
    return options;
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: keep only text and marks.
  function excerpt(html) {
    var paragraph = element("p", { "class": "search-excerpt" });
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    (function copy(from) {
      from.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE) paragraph.appendChild(document.createTextNode(node.textContent));
        else if (node.nodeName === "MARK") paragraph.appendChild(element("mark", {}, node.textContent));
        else copy(node);
      });
    })(parsed);
    return paragraph;
  }

  function stars(meta) {
    var wrap = element("span", { "class": "stars stars-" + meta.stars, role: "img", "aria-label": "Rated " + meta.rating });
    wrap.appendChild(element("span", { "class": "stars-fill", "aria-hidden": "true" }, "★★★★★"));
    wrap.appendChild(element("span", { "class": "stars-empty", "aria-hidden": "true" }, "★★★★★"));
    return wrap;
  }

  function result(data) {
    var meta = data.meta || {};
    var item = element("li", { "class": "search-result" });
    var heading = element("h2");
    heading.appendChild(element("a", { href: data.url }, meta.title || data.url));
    item.appendChild(heading);
    var line = element("p", { "class": "post-meta" });
    if (meta.date) line.appendChild(element("span", {}, meta.date));
    if (meta.rating) {
      line.appendChild(document.createTextNode(" · "));
      line.appendChild(stars(meta));
      line.appendChild(element("span", { "class": "rating-text" }, meta.rating));
    }
    item.appendChild(line);
    if (meta.image) item.appendChild(element("img", { "class": "search-poster", src: meta.image, alt: "" }));
    item.appendChild(excerpt(data.excerpt || ""));
    return item;
  }

  function say(text) { status.textContent = text; }

  async function run() {
    var query = input.value.trim();
    var options = chosen();
    var filtered = Object.keys(options.filters).length > 0;
    var ticket = ++latest;
    if (!query && !filtered) {
      list.replaceChildren();
      say("");
      return;
    }
    var search = await pagefind.search(query || null, options);
    var found = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (ticket !== latest) return; // a newer search has started
    list.replaceChildren.apply(list, found.map(result));
    var about = query ? " “" + query + "”" : " these filters";
    if (!search.results.length) say("Nothing matches" + about + ". Try fewer or other words, or other filters.");
    else say(search.results.length + (search.results.length === 1 ? " review matches" : " reviews match") + about + ".");
  }

  async function start() {
    try {
      pagefind = await import(form.dataset.bundle + "pagefind.js");
      await pagefind.options({ baseUrl: form.dataset.base });
      await pagefind.init();
      buildFilters(await pagefind.filters());
    } catch (error) {
      // The server's own answer (live site, ?q=) stays; otherwise say why nothing happens.
      if (!status.textContent.trim()) say("Search could not load just now; try again in a moment.");
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var address = new URL(window.location.href);
      address.searchParams.set("q", input.value.trim());
      history.replaceState(null, "", address);
      run();
    });
    input.addEventListener("input", run);
    if (input.value.trim()) run();
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query && !input.value) input.value = query;
  start();
})();
