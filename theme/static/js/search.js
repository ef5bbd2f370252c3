/* Tìm kiếm: search the static index as readers type, folding Vietnamese the
   way plugins/search_index/tokens.py does (the tests compare the two). */
(function () {
  "use strict";
  var app = document.querySelector("[data-search-index]");
  if (!app) {
    return;
  }
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var WORD = /[\p{L}\p{N}]+/gu;
  var PAGE_SIZE = 10;
  var EXCERPT = 90;
  var indexUrl = app.getAttribute("data-search-index");
  var form = app.querySelector("form");
  var input = app.querySelector("input[name=q]");
  var status = app.querySelector(".portal-search-results__status");
  var filters = app.querySelector(".portal-search-filters");
  var list = app.querySelector(".portal-search-results__list");
  var more = app.querySelector(".portal-search-results__more");
  var cache = new Map();
  var manifest = null;
  var state = { query: "", topic: "", year: "", kind: "", matches: [], shown: 0, run: 0 };
  var KINDS = [["a", "Bài viết"], ["v", "Văn bản"]];

  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  function form_(word) {
    var decomposed = word.toLowerCase().normalize("NFD");
    var tones = (decomposed.match(TONES) || []).join("");
    return (decomposed.replace(TONES, "") + tones).normalize("NFC");
  }

  function bucketOf(term, buckets) {
    var bytes = new TextEncoder().encode(term);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i += 1) {
      hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    }
    return hash % buckets;
  }

  function words(text) {
    return text.normalize("NFC").match(WORD) || [];
  }

  /* A query: words that must all appear; "quoted words" must stand together. */
  function parse(query) {
    var groups = [];
    var pattern = /["“”]([^"“”]*)["“”]?|([^"“”]+)/g;
    var match;
    while ((match = pattern.exec(query)) !== null) {
      if (match[1] !== undefined) {
        groups.push({ phrase: true, words: words(match[1]) });
      } else {
        words(match[2]).forEach(function (word) {
          groups.push({ phrase: false, words: [word] });
        });
      }
    }
    var terms = [];
    var typed = [];
    groups.forEach(function (group) {
      var folded = group.words.map(fold);
      group.words.forEach(function (word, index) {
        terms.push(folded[index]);
        var lower = word.toLowerCase().normalize("NFC");
        if (fold(word) !== lower) {
          typed.push({ term: folded[index], form: form_(word) });
        }
      });
      if (group.phrase) {
        for (var i = 0; i + 1 < folded.length; i += 1) {
          terms.push(folded[i] + " " + folded[i + 1]);
        }
      }
    });
    var unique = terms.filter(function (term, index) { return terms.indexOf(term) === index; });
    return { terms: unique, typed: typed, highlight: groups.reduce(function (all, g) {
      return all.concat(g.words.map(fold));
    }, []) };
  }

  function load(url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then(function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      }));
    }
    return cache.get(url);
  }

  function ids(deltas) {
    var out = [];
    var value = 0;
    for (var i = 0; i < deltas.length; i += 1) {
      value += deltas[i];
      out.push(value);
    }
    return out;
  }

  function searchSegment(segment, parsed) {
    var name = segment[0];
    var buckets = segment[2];
    var base = indexUrl + name + "/";
    var needed = parsed.terms.map(function (term) { return bucketOf(term, buckets); });
    var meta = segment[3];
    return Promise.all([null].concat(needed.map(function (bucket) {
      return load(base + bucket + ".json");
    }))).then(function (files) {
      var sets = parsed.terms.map(function (term, index) {
        var entry = files[index + 1][term] || [];
        var all = new Set();
        if (entry.length && typeof entry[0] === "number") {
          ids(entry).forEach(function (id) { all.add(id); });
        } else {
          for (var i = 0; i + 1 < entry.length; i += 2) {
            ids(entry[i + 1]).forEach(function (id) { all.add(id); });
          }
        }
        return all;
      });
      var found = [];
      if (!sets.length) {
        return found;
      }
      var exactSets = parsed.typed.map(function (typed) {
        var entry = files[parsed.terms.indexOf(typed.term) + 1][typed.term] || [];
        var position = entry.indexOf(typed.form);
        return new Set(position >= 0 && position % 2 === 0 ? ids(entry[position + 1]) : []);
      });
      sets.sort(function (a, b) { return a.size - b.size; });
      sets[0].forEach(function (id) {
        if (sets.every(function (set) { return set.has(id); })) {
          var exact = exactSets.filter(function (set) { return set.has(id); }).length;
          var row = meta.substr(id * 8, 8);
          found.push({
            doc: base + "d/" + id + ".json",
            days: parseInt(row.substr(0, 4), 36),
            mask: parseInt(row.substr(4, 3), 36),
            kind: row.substr(7, 1),
            exact: exact
          });
        }
      });
      return found;
    });
  }

  function yearOf(days) {
    return new Date(days * 86400000).getUTCFullYear();
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function option(label, count, name, value, checked) {
    var wrapper = document.createElement("label");
    wrapper.className = "portal-search-filters__option";
    var radio = document.createElement("input");
    radio.type = "radio";
    radio.name = name;
    radio.value = value;
    radio.checked = checked;
    wrapper.appendChild(radio);
    wrapper.appendChild(document.createTextNode(" " + label + " (" + count + ")"));
    return wrapper;
  }

  function renderFilters(matches) {
    filters.textContent = "";
    if (!matches.length) {
      filters.hidden = true;
      return;
    }
    filters.hidden = false;
    var topics = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = "Chuyên mục";
    topics.appendChild(legend);
    topics.appendChild(option("Tất cả", matches.length, "chuyen-muc", "", state.topic === ""));
    manifest.sections.forEach(function (section, index) {
      var count = matches.filter(function (m) { return m.mask & (1 << index); }).length;
      if (count) {
        topics.appendChild(option(section[1], count, "chuyen-muc", section[0], state.topic === section[0]));
      }
    });
    var years = document.createElement("fieldset");
    var yearLegend = document.createElement("legend");
    yearLegend.textContent = "Năm";
    years.appendChild(yearLegend);
    years.appendChild(option("Tất cả", matches.length, "nam", "", state.year === ""));
    var counts = {};
    matches.forEach(function (m) {
      var year = yearOf(m.days);
      counts[year] = (counts[year] || 0) + 1;
    });
    Object.keys(counts).sort().reverse().forEach(function (year) {
      years.appendChild(option(year, counts[year], "nam", year, state.year === year));
    });
    var kinds = document.createElement("fieldset");
    var kindLegend = document.createElement("legend");
    kindLegend.textContent = "Loại";
    kinds.appendChild(kindLegend);
    kinds.appendChild(option("Tất cả", matches.length, "loai", "", state.kind === ""));
    KINDS.forEach(function (kind) {
      var count = matches.filter(function (m) { return m.kind === kind[0]; }).length;
      if (count) {
        kinds.appendChild(option(kind[1], count, "loai", kind[0], state.kind === kind[0]));
      }
    });
    filters.appendChild(kinds);
    filters.appendChild(topics);
    filters.appendChild(years);
  }

  function filtered() {
    var topicIndex = -1;
    manifest.sections.forEach(function (section, index) {
      if (section[0] === state.topic) {
        topicIndex = index;
      }
    });
    return state.matches.filter(function (m) {
      return (topicIndex < 0 || (m.mask & (1 << topicIndex))) &&
        (!state.kind || m.kind === state.kind) &&
        (!state.year || String(yearOf(m.days)) === state.year);
    });
  }

  var foldedChar = new Map();

  /* The text folded one character for one, so positions stay the same. */
  function foldedChars(text) {
    var out = new Array(text.length);
    for (var i = 0; i < text.length; i += 1) {
      var char = text[i];
      var folded = foldedChar.get(char);
      if (folded === undefined) {
        folded = fold(char);
        folded = folded.length ? folded[0] : char;
        foldedChar.set(char, folded);
      }
      out[i] = folded;
    }
    return out.join("");
  }

  function excerpt(text, highlight) {
    var folded = foldedChars(text);
    var spans = [];
    highlight.forEach(function (word, wordIndex) {
      if (!word) {
        return;
      }
      var pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")(?=$|[^\\p{L}\\p{N}])", "gu");
      var match;
      while ((match = pattern.exec(folded)) !== null) {
        var start = match.index + match[1].length;
        spans.push([start, start + match[2].length, wordIndex]);
        pattern.lastIndex = start + match[2].length;
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    /* The window that shows the most different query words, earliest first. */
    var first = spans.length ? spans[0][0] : 0;
    var best = 0;
    spans.forEach(function (span) {
      var seen = new Set();
      spans.forEach(function (other) {
        if (other[0] >= span[0] && other[1] <= span[0] + EXCERPT * 2) {
          seen.add(highlight[other[2]]);
        }
      });
      if (seen.size > best) {
        best = seen.size;
        first = span[0];
      }
    });
    var from = Math.max(0, first - EXCERPT);
    while (from > 0 && !/\s/.test(text[from - 1])) {
      from -= 1;
    }
    var to = Math.min(text.length, first + EXCERPT * 2);
    var fragment = document.createDocumentFragment();
    if (from > 0) {
      fragment.appendChild(document.createTextNode("… "));
    }
    var cursor = from;
    spans.forEach(function (span) {
      if (span[0] < cursor || span[1] > to) {
        return;
      }
      fragment.appendChild(document.createTextNode(text.slice(cursor, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      fragment.appendChild(mark);
      cursor = span[1];
    });
    fragment.appendChild(document.createTextNode(text.slice(cursor, to) + (to < text.length ? " …" : "")));
    return fragment;
  }

  function renderResults(run, reset) {
    var matches = filtered();
    if (reset) {
      list.textContent = "";
      state.shown = 0;
    }
    var page = matches.slice(state.shown, state.shown + PAGE_SIZE);
    state.shown += page.length;
    more.hidden = state.shown >= matches.length;
    var parsed = parse(state.query);
    return Promise.all(page.map(function (match) {
      return load(match.doc);
    })).then(function (docs) {
      performance.mark("search:docs");
      if (run !== state.run) {
        return;
      }
      docs.forEach(function (doc) {
        var item = document.createElement("li");
        item.className = "portal-search-result";
        var heading = document.createElement("h2");
        heading.className = "portal-search-result__title";
        var link = document.createElement("a");
        link.href = app.getAttribute("data-site-url") + "/" + doc.u;
        link.appendChild(excerptTitle(doc.t, parsed.highlight));
        heading.appendChild(link);
        var meta = document.createElement("p");
        meta.className = "portal-search-result__meta";
        meta.textContent = doc.d + " · " + doc.s.join("; ");
        var text = document.createElement("p");
        text.className = "portal-search-result__excerpt";
        text.appendChild(excerpt(doc.x, parsed.highlight));
        item.appendChild(heading);
        item.appendChild(meta);
        item.appendChild(text);
        list.appendChild(item);
      });
      setStatus(matches.length
        ? "Tìm thấy " + matches.length + " bài viết cho “" + state.query + "”."
        : "Không tìm thấy bài viết nào cho “" + state.query + "”.");
      performance.mark("search:done");
      app.setAttribute("data-search-state", "done");
    });
  }

  function excerptTitle(title, highlight) {
    var fragment = excerpt(title, highlight);
    if (fragment.firstChild && fragment.firstChild.nodeValue === "… ") {
      fragment.removeChild(fragment.firstChild);
    }
    return fragment;
  }

  function updateUrl() {
    var params = new URLSearchParams();
    if (state.query) {
      params.set("q", state.query);
    }
    if (state.topic) {
      params.set("chuyen-muc", state.topic);
    }
    if (state.year) {
      params.set("nam", state.year);
    }
    if (state.kind) {
      params.set("loai", state.kind);
    }
    var search = params.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function run() {
    performance.mark("search:start");
    state.run += 1;
    var current = state.run;
    var query = state.query.trim();
    app.setAttribute("data-search-state", "running");
    updateUrl();
    var parsed = parse(query);
    if (!parsed.terms.length) {
      list.textContent = "";
      filters.hidden = true;
      more.hidden = true;
      setStatus("Nhập từ khoá để tìm bài viết.");
      app.setAttribute("data-search-state", "done");
      return Promise.resolve();
    }
    return load(indexUrl + "manifest.json").then(function (loaded) {
      manifest = loaded;
      return Promise.all(manifest.segments.map(function (segment) {
        return searchSegment(segment, parsed);
      }));
    }).then(function (perSegment) {
      if (current !== state.run) {
        return null;
      }
      performance.mark("search:matched");
      var matches = [].concat.apply([], perSegment);
      matches.sort(function (a, b) {
        return (b.exact - a.exact) || (b.days - a.days) || (a.doc < b.doc ? -1 : 1);
      });
      state.matches = matches;
      renderFilters(matches);
      return renderResults(current, true);
    }).catch(function () {
      setStatus("Không tải được chỉ mục tìm kiếm. Hãy thử lại.");
      app.setAttribute("data-search-state", "error");
    });
  }

  /* The first keystroke searches at once; while keys keep coming, wait for a
     pause of 80 ms so that each word is not searched letter by letter. */
  var timer = null;
  var lastInput = 0;
  input.addEventListener("input", function () {
    var now = performance.now();
    var typing = now - lastInput < 80;
    lastInput = now;
    window.clearTimeout(timer);
    if (!typing) {
      state.query = input.value;
      run();
      return;
    }
    timer = window.setTimeout(function () {
      state.query = input.value;
      run();
    }, 80);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    state.query = input.value;
    run();
  });
  filters.addEventListener("change", function (event) {
    if (event.target.name === "chuyen-muc") {
      state.topic = event.target.value;
    } else if (event.target.name === "nam") {
      state.year = event.target.value;
    } else if (event.target.name === "loai") {
      state.kind = event.target.value;
    }
    updateUrl();
    renderFilters(state.matches);
    state.run += 1;
    renderResults(state.run, true);
  });
  more.addEventListener("click", function () {
    renderResults(state.run, false);
  });

  var params = new URLSearchParams(window.location.search);
  state.query = params.get("q") || "";
  state.topic = params.get("chuyen-muc") || "";
  state.year = params.get("nam") || "";
  state.kind = params.get("loai") || "";
  input.value = state.query;
  app.hidden = false;
  load(indexUrl + "manifest.json");
  run();
})();
