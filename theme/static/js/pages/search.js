/* Tìm kiếm: search the static index as readers type, folding Vietnamese the
   way plugins/search_index/tokens.py does (the tests compare the two), and
   ranking by relevance: BM25F weights from the index (title above summary
   above body), a strong boost where the words typed stand together in that
   order, a boost for the diacritics typed, the date only as a mild prior. */
(function () {
  "use strict";
  var app = document.querySelector("[data-search-index]");
  if (!app) {
    return;
  }
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var WORD = /[\p{L}\p{N}]+/gu;
  var MARKS = /\p{Mn}/gu;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var MORE_DIGITS = 32;
  var DIGIT = new Int8Array(128);
  for (var digit = 0; digit < DIGITS.length; digit += 1) {
    DIGIT[DIGITS.charCodeAt(digit)] = digit;
  }
  var IN_TITLE = 32;
  var PAGE_SIZE = 10;
  var EXCERPT = 90;
  /* Ranking: a word's completions count less than the word itself; words
     that stand together add their phrase's score, more in the title; the
     exact diacritics typed multiply a word's score, and a phrase's most
     common reading (tỉnh ủy, not tính uy) that of a phrase typed without
     them; the newest articles
     gain at most RECENCY, fading over RECENCY_DAYS. */
  var PREFIX_AT_LEAST = 2;
  var CORRECT_AT_LEAST = 2;
  var COMPLETIONS = 3;
  var COMPLETION_WEIGHT = 0.6;
  var PHRASE_BOOST = 2;
  var PHRASE_IN_TITLE = 1.5;
  var EXACT_FORM = 1.6;
  var LIKELY_FORM = 1.3;
  var LIKELY_WORD_FORM = 1.15;
  var RECENCY = 0.05;
  var RECENCY_DAYS = 3 * 365;
  var indexUrl = app.getAttribute("data-search-index");
  var form = app.querySelector("form");
  var input = app.querySelector("input[name=q]");
  var status = app.querySelector(".portal-search-results__status");
  var suggestion = app.querySelector(".portal-search-results__suggestion");
  var filtersBox = app.querySelector(".portal-search-filters-box");
  var filters = app.querySelector(".portal-search-filters");
  var sort = app.querySelector("select[name=sap-xep]");
  var list = app.querySelector(".portal-search-results__list");
  var empty = app.querySelector(".portal-search-empty");
  var more = app.querySelector(".portal-search-results__more");
  var cache = new Map();
  var manifest = null;
  var state = {
    query: "", shownQuery: "", corrected: "", topic: "", year: "", kind: "", order: "",
    matches: [], shown: 0, run: 0
  };
  var KINDS = [["a", "Bài viết"], ["v", "Văn bản"]];

  /* vietnamese.fold: compatibility decomposition, lower case, no marks, đ → d. */
  function fold(word) {
    return word.normalize("NFKD").toLowerCase().normalize("NFKD").replace(MARKS, "").replace(/đ/g, "d");
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

  /* A query: words that must all appear ("quoted words" must stand
     together); the last word, still being typed, may be the start of one. */
  function parse(query) {
    var slots = [];
    var phrases = [];
    var pattern = /["“”]([^"“”]*)["“”]?|([^"“”]+)/g;
    var match;
    while ((match = pattern.exec(query)) !== null) {
      var group = words(match[1] !== undefined ? match[1] : match[2]);
      var first = slots.length;
      group.forEach(function (word) {
        var lower = word.toLowerCase().normalize("NFC");
        var folded = fold(word);
        slots.push({
          word: word,
          term: folded,
          form: folded !== lower ? form_(word) : null,
          quoted: match[1] !== undefined,
          completions: []
        });
      });
      if (match[1] !== undefined) {
        for (var i = first; i + 1 < slots.length; i += 1) {
          phrases.push(i);
        }
      }
    }
    var last = slots[slots.length - 1];
    var prefix = last && !last.quoted && /[\p{L}\p{N}]$/u.test(query) &&
      last.term.length >= PREFIX_AT_LEAST ? slots.length - 1 : -1;
    return { slots: slots, required: phrases, prefix: prefix };
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

  /* One posting list (each gap, then each weight: builder.py's ``encoded``)
     into ``weights``, one per local id of the segment (0 where the term is
     not: a weight is 1 or more), and ``ids``, each id once; the number of
     postings. */
  function postings(code, weights, ids) {
    var id = 0;
    var count = 0;
    var i = 0;
    while (i < code.length) {
      var gap = 0;
      var digit = DIGIT[code.charCodeAt(i++)];
      while (digit >= MORE_DIGITS) {
        gap = gap * MORE_DIGITS + digit - MORE_DIGITS;
        digit = DIGIT[code.charCodeAt(i++)];
      }
      id += gap * MORE_DIGITS + digit;
      var weight = DIGIT[code.charCodeAt(i++)];
      if (!weights[id]) {
        ids.push(id);
        weights[id] = weight;
      } else if (weights[id] < weight) {
        weights[id] = weight;
      }
      count += 1;
    }
    return count;
  }

  /* A term's postings in one bucket file of a segment of ``size`` articles:
     over all its forms, and each form's own list, kept encoded until a form
     is asked for. */
  function termPostings(file, term, size) {
    var entry = (file && file[term]) || [];
    var found = { weights: new Uint8Array(size), ids: [], forms: [], withForm: {} };
    for (var i = 0; i + 1 < entry.length; i += 2) {
      found.forms.push([entry[i], entry[i + 1], postings(entry[i + 1], found.weights, found.ids)]);
    }
    return found;
  }

  /* The weights of one form of a term in one segment (0 where it is not). */
  function withForm(found, form) {
    if (!found.withForm[form]) {
      var weights = new Uint8Array(found.weights.length);
      found.forms.forEach(function (entry) {
        if (entry[0] === form) {
          postings(entry[1], weights, []);
        }
      });
      found.withForm[form] = weights;
    }
    return found.withForm[form];
  }

  /* The form of a term found in the most articles, over every segment. */
  function commonForm(perSegment) {
    var counts = new Map();
    perSegment.forEach(function (found) {
      found.forms.forEach(function (entry) {
        counts.set(entry[0], (counts.get(entry[0]) || 0) + entry[2]);
      });
    });
    var best = null;
    counts.forEach(function (count, form) {
      if (best === null || count > counts.get(best)) {
        best = form;
      }
    });
    return best;
  }

  function segmentUrl(segment) {
    return indexUrl + segment[0] + "/";
  }

  /* The file of a term's bucket in a segment: a word's (its postings and
     its completions as a prefix) or a phrase's (with a space), apart. */
  function bucketFile(segment, term) {
    var file = (term.indexOf(" ") >= 0 ? "p" : "") + bucketOf(term, segment[2]);
    return load(segmentUrl(segment) + file + ".json");
  }

  /* Every term of a query, in every segment: {term: [postings per segment]}. */
  function fetchTerms(terms) {
    return Promise.all(manifest.segments.map(function (segment) {
      return Promise.all(terms.map(function (term) {
        return bucketFile(segment, term).then(function (file) {
          return termPostings(file, term, segment[1]);
        });
      }));
    })).then(function (perSegment) {
      var byTerm = {};
      terms.forEach(function (term, index) {
        byTerm[term] = perSegment.map(function (found) { return found[index]; });
      });
      return byTerm;
    });
  }

  /* The site's vocabulary: {folded word: articles}, from every segment,
     fetched only to correct a query that finds nothing. */
  function vocabulary() {
    return Promise.all(manifest.segments.map(function (segment) {
      return load(segmentUrl(segment) + "v.json");
    })).then(function (files) {
      var all = new Map();
      files.forEach(function (file) {
        Object.keys(file).forEach(function (word) {
          all.set(word, (all.get(word) || 0) + file[word]);
        });
      });
      return all;
    });
  }

  /* The words a prefix may be the start of: those in more articles than
     the prefix itself as a word (``itself``: a whole word typed is not
     completed into rarer ones), the most frequent first; each segment's
     most frequent are in the prefix's bucket, already fetched for it. */
  function completionsOf(prefix, itself) {
    return Promise.all(manifest.segments.map(function (segment) {
      return bucketFile(segment, prefix);
    })).then(function (files) {
      var counts = new Map();
      files.forEach(function (file) {
        var entry = file[prefix + "*"] || [];
        for (var i = 0; i + 1 < entry.length; i += 2) {
          counts.set(entry[i], (counts.get(entry[i]) || 0) + entry[i + 1]);
        }
      });
      var found = [];
      counts.forEach(function (articles, word) {
        if (articles > itself) {
          found.push([word, articles]);
        }
      });
      found.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
      return found.slice(0, COMPLETIONS).map(function (pair) { return pair[0]; });
    });
  }

  /* True if a and b differ by one letter added, removed, changed or two swapped. */
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) {
      return false;
    }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) {
      i += 1;
    }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function correctionOf(word, vocab) {
    var best = null;
    var bestArticles = 0;
    vocab.forEach(function (articles, candidate) {
      if (articles > bestArticles && oneEdit(word, candidate)) {
        best = candidate;
        bestArticles = articles;
      }
    });
    return best;
  }

  function idf(df) {
    var total = manifest.total;
    return Math.log(1 + (total - df + 0.5) / (df + 0.5));
  }

  function frequency(found) {
    return found.reduce(function (sum, segment) { return sum + segment.ids.length; }, 0);
  }

  /* Search the index for a parsed query: {matches, missing}, ``missing``
     the slots of words that no article has (for a correction). */
  function searchIndex(parsed) {
    var slots = parsed.slots;
    /* The words typed and the phrases of each two side by side; for the
       last word as a prefix, its completions' files as soon as its own
       (which name them) have come. */
    var terms = [];
    slots.forEach(function (slot, index) {
      [slot.term].concat(index + 1 < slots.length ? [slot.term + " " + slots[index + 1].term] : [])
        .forEach(function (term) {
          if (terms.indexOf(term) < 0) {
            terms.push(term);
          }
        });
    });
    var completed = Promise.resolve({});
    if (parsed.prefix >= 0) {
      var slot = slots[parsed.prefix];
      completed = fetchTerms([slot.term]).then(function (own) {
        return completionsOf(slot.term, frequency(own[slot.term])).then(function (words) {
          slot.completions = words;
          if (unknown(slot, own)) {
            prefetchVocabulary();
          }
          return words;
        });
      }).then(function (words) {
        var more = [];
        words.forEach(function (word) {
          more.push(word);
          if (parsed.prefix > 0) {
            more.push(slots[parsed.prefix - 1].term + " " + word);
          }
        });
        return fetchTerms(more);
      });
    }
    /* A word no article has (and, typed last, that begins none) means no
       result: the vocabulary for its correction is asked for at once. */
    var exact = fetchTerms(terms).then(function (byTerm) {
      if (slots.some(function (slot, index) {
        return index !== parsed.prefix && unknown(slot, byTerm);
      })) {
        prefetchVocabulary();
      }
      return byTerm;
    });
    return Promise.all([exact, completed]).then(function (found) {
      var byTerm = found[0];
      Object.keys(found[1]).forEach(function (term) {
        byTerm[term] = found[1][term];
      });
      return { matches: score(parsed, byTerm), byTerm: byTerm };
    });
  }

  /* Each slot's candidates: [term, weight, form typed], the word, then its
     completions. */
  function candidatesOf(slot) {
    return [[slot.term, 1, slot.form]].concat(slot.completions.map(function (word) {
      return [word, COMPLETION_WEIGHT, null];
    }));
  }

  /* A word's form wanted, and its boost: as typed, else its most common. */
  function wordForm(option, byTerm) {
    if (option[2]) {
      return [option[2], EXACT_FORM];
    }
    return option[1] === 1 ? [commonForm(byTerm[option[0]]), LIKELY_WORD_FORM] : [null, 1];
  }

  /* The phrases of two neighbouring slots: [term, weight, form wanted]. A
     phrase typed with its diacritics wants that form; one typed without
     them, its most common form (a word too, with a smaller boost). */
  function phrasesOf(first, second, byTerm) {
    return candidatesOf(second).map(function (next) {
      var term = first.term + " " + next[0];
      var typed = first.form && next[2] ? first.form + " " + next[2] : null;
      return [term, next[1], typed, typed ? EXACT_FORM : LIKELY_FORM, typed || commonForm(byTerm[term])];
    });
  }

  function score(parsed, byTerm) {
    var slots = parsed.slots;
    var today = Date.now() / 86400000;
    var matches = [];
    var candidates = slots.map(function (slot) {
      return candidatesOf(slot).map(function (option) {
        return option.concat(wordForm(option, byTerm));
      });
    });
    var pairs = slots.slice(1).map(function (slot, index) {
      return phrasesOf(slots[index], slot, byTerm);
    });
    var idfs = {};
    Object.keys(byTerm).forEach(function (term) {
      idfs[term] = idf(frequency(byTerm[term]));
    });
    /* A term's score in one article (0 if not there): its idf and its
       weight there; where a form is wanted, the weight of that form times
       its boost if the article has it, else the inverse of the boost
       (bão typed: an article with bão once and bảo, báo in its title is
       not weighed as if its title had bão). */
    function termScore(found, term, id, form, boost) {
      var weight = found.weights[id];
      if (!weight) {
        return 0;
      }
      if (form) {
        var own = withForm(found, form)[id];
        return own ? idfs[term] * (own & 31) / 31 * boost : idfs[term] * (weight & 31) / 31 / boost;
      }
      return idfs[term] * (weight & 31) / 31;
    }
    manifest.segments.forEach(function (segment, s) {
      var meta = segment[3];
      var smallest = null;
      candidates.forEach(function (options) {
        var size = options.reduce(function (sum, option) {
          return sum + byTerm[option[0]][s].ids.length;
        }, 0);
        if (smallest === null || size < smallest[1]) {
          smallest = [options, size];
        }
      });
      var seen = new Set();
      smallest[0].forEach(function (option) {
        byTerm[option[0]][s].ids.forEach(function (id) {
          seen.add(id);
        });
      });
      seen.forEach(function (id) {
        var total = 0;
        for (var i = 0; i < slots.length; i += 1) {
          var best = 0;
          candidates[i].forEach(function (option) {
            best = Math.max(best, option[1] *
              termScore(byTerm[option[0]][s], option[0], id, option[3], option[4]));
          });
          if (!best) {
            return;
          }
          total += best;
        }
        for (var j = 0; j < pairs.length; j += 1) {
          var together = 0;
          pairs[j].forEach(function (phrase) {
            var found = byTerm[phrase[0]][s];
            var value = termScore(found, phrase[0], id, phrase[4], phrase[3]);
            if (value) {
              together = Math.max(together, phrase[1] * (PHRASE_BOOST * value +
                (found.weights[id] & IN_TITLE ? PHRASE_IN_TITLE * idfs[phrase[0]] : 0)));
            }
          });
          if (!together && parsed.required.indexOf(j) >= 0) {
            return;
          }
          total += together;
        }
        var row = meta.substr(id * 7, 7);
        var days = parseInt(row.substr(0, 3), 36);
        total *= 1 + RECENCY * Math.max(0, 1 - (today - days) / RECENCY_DAYS);
        matches.push({
          doc: segmentUrl(segment) + "d/" + id + ".json",
          days: days,
          mask: parseInt(row.substr(3, 3), 36),
          kind: row.substr(6, 1),
          score: total
        });
      });
    });
    return matches;
  }

  function yearOf(days) {
    return new Date(days * 86400000).getUTCFullYear();
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

  function fieldset(title, options) {
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = title;
    set.appendChild(legend);
    options.forEach(function (element) { set.appendChild(element); });
    return set;
  }

  function renderFilters(matches) {
    filters.textContent = "";
    filtersBox.classList.toggle("portal-search-filters-box--empty", !matches.length);
    if (!matches.length) {
      return;
    }
    var kinds = [option("Tất cả", matches.length, "loai", "", state.kind === "")];
    KINDS.forEach(function (kind) {
      var count = matches.filter(function (m) { return m.kind === kind[0]; }).length;
      if (count) {
        kinds.push(option(kind[1], count, "loai", kind[0], state.kind === kind[0]));
      }
    });
    var topics = [option("Tất cả", matches.length, "chuyen-muc", "", state.topic === "")];
    manifest.sections.forEach(function (section, index) {
      var count = matches.filter(function (m) { return m.mask & (1 << index); }).length;
      if (count) {
        topics.push(option(section[1], count, "chuyen-muc", section[0], state.topic === section[0]));
      }
    });
    var counts = {};
    matches.forEach(function (m) {
      var year = yearOf(m.days);
      counts[year] = (counts[year] || 0) + 1;
    });
    var years = [option("Tất cả", matches.length, "nam", "", state.year === "")];
    Object.keys(counts).sort().reverse().forEach(function (year) {
      years.push(option(year, counts[year], "nam", year, state.year === year));
    });
    filters.appendChild(fieldset("Loại", kinds));
    filters.appendChild(fieldset("Chuyên mục", topics));
    filters.appendChild(fieldset("Năm", years));
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

  function ordered(matches) {
    return matches.slice().sort(state.order === "moi-nhat" ? function (a, b) {
      return (b.days - a.days) || (b.score - a.score) || (a.doc < b.doc ? -1 : 1);
    } : function (a, b) {
      return (b.score - a.score) || (b.days - a.days) || (a.doc < b.doc ? -1 : 1);
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
    /* A window sliding over the spans: the words it holds, counted. */
    var inWindow = new Map();
    var end = 0;
    spans.forEach(function (span, start) {
      while (end < spans.length && spans[end][1] <= span[0] + EXCERPT * 2) {
        var word = highlight[spans[end][2]];
        inWindow.set(word, (inWindow.get(word) || 0) + 1);
        end += 1;
      }
      if (inWindow.size > best) {
        best = inWindow.size;
        first = span[0];
      }
      if (end > start) {
        var left = highlight[span[2]];
        if (inWindow.get(left) === 1) {
          inWindow.delete(left);
        } else {
          inWindow.set(left, inWindow.get(left) - 1);
        }
      }
    });
    var from = Math.max(0, first - EXCERPT);
    while (from > 0 && !/\s/.test(text[from - 1])) {
      from -= 1;
    }
    var to = Math.min(text.length, first + EXCERPT * 2);
    /* Cut between words, never inside one. */
    if (to < text.length) {
      var cut = to;
      while (cut > first && !/\s/.test(text[cut])) {
        cut -= 1;
      }
      if (cut > first) {
        to = cut;
      }
    }
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
    fragment.appendChild(document.createTextNode(to < text.length
      ? text.slice(cursor, to).replace(/\s+$/, "") + " …" : text.slice(cursor, to)));
    return fragment;
  }

  function excerptTitle(title, highlight) {
    var fragment = excerpt(title, highlight);
    if (fragment.firstChild && fragment.firstChild.nodeValue === "… ") {
      fragment.removeChild(fragment.firstChild);
    }
    return fragment;
  }

  function quoted(query) {
    return /["“”]/.test(query) ? query : "“" + query + "”";
  }

  function counted(matches) {
    var parts = [];
    KINDS.forEach(function (kind) {
      var count = matches.filter(function (m) { return m.kind === kind[0]; }).length;
      if (count) {
        parts.push(count + " " + kind[1].toLowerCase());
      }
    });
    return parts.join(" và ");
  }

  function statusText(matches) {
    var typed = quoted(state.shownQuery);
    if (state.corrected) {
      return "Không tìm thấy kết quả cho " + typed + ". Kết quả cho " + quoted(state.corrected) +
        ": " + counted(matches) + ".";
    }
    if (!matches.length) {
      return "Không tìm thấy bài viết hay văn bản nào cho " + typed + ".";
    }
    return "Tìm thấy " + counted(matches) + " cho " + typed + ".";
  }

  function searchLink(query) {
    return window.location.pathname + "?" + new URLSearchParams({ q: query }).toString();
  }

  /* Everything the results change, drawn at once when the records are in. */
  function renderResults(run, reset) {
    var matches = ordered(filtered());
    var from = reset ? 0 : state.shown;
    var page = matches.slice(from, from + PAGE_SIZE);
    var highlight = state.highlight;
    return Promise.all(page.map(function (match) {
      return load(match.doc);
    })).then(function (docs) {
      performance.mark("search:docs");
      if (run !== state.run) {
        return;
      }
      if (reset) {
        list.textContent = "";
        renderFilters(state.matches);
      }
      state.shown = from + page.length;
      docs.forEach(function (doc) {
        var item = document.createElement("li");
        item.className = "portal-search-result";
        var heading = document.createElement("h2");
        heading.className = "portal-search-result__title";
        var link = document.createElement("a");
        link.href = app.getAttribute("data-site-url") + "/" + doc.u;
        link.appendChild(excerptTitle(doc.t, highlight));
        heading.appendChild(link);
        var meta = document.createElement("p");
        meta.className = "portal-search-result__meta";
        meta.textContent = doc.d + " · " + doc.s.join("; ");
        var text = document.createElement("p");
        text.className = "portal-search-result__excerpt";
        text.appendChild(excerpt(doc.x, highlight));
        item.appendChild(heading);
        item.appendChild(meta);
        item.appendChild(text);
        list.appendChild(item);
      });
      more.hidden = state.shown >= matches.length;
      empty.hidden = state.matches.length > 0;
      suggestion.hidden = !state.corrected;
      if (state.corrected) {
        var corrected = suggestion.querySelector("a");
        corrected.textContent = state.corrected;
        corrected.href = searchLink(state.corrected);
      }
      status.textContent = statusText(matches);
      performance.mark("search:done");
      app.setAttribute("data-search-state", "done");
    });
  }

  function updateUrl() {
    var params = new URLSearchParams();
    if (state.query) {
      params.set("q", state.query);
    }
    [["chuyen-muc", state.topic], ["nam", state.year], ["loai", state.kind],
      ["sap-xep", state.order]].forEach(function (pair) {
      if (pair[1]) {
        params.set(pair[0], pair[1]);
      }
    });
    var search = params.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function highlightOf(parsed) {
    var all = [];
    parsed.slots.forEach(function (slot) {
      all.push(slot.term);
      all = all.concat(slot.completions);
    });
    return all;
  }

  /* A word of the query that no article has and, typed last, that begins
     no word of the site either (a completion is a word some articles have). */
  function unknown(slot, byTerm) {
    return slot.term.length >= CORRECT_AT_LEAST && !frequency(byTerm[slot.term]) &&
      !slot.completions.length;
  }

  function prefetchVocabulary() {
    vocabulary().catch(function () {});
  }

  /* The query with each word no article has replaced by its one-edit
     neighbour found in the most articles; "" if there is none. */
  function corrected(query, parsed, byTerm) {
    var missing = parsed.slots.filter(function (slot) {
      return unknown(slot, byTerm);
    });
    if (!missing.length) {
      return Promise.resolve("");
    }
    return vocabulary().then(function (vocab) {
      var text = query;
      var at = 0;
      var changed = false;
      parsed.slots.forEach(function (slot) {
        var position = text.indexOf(slot.word, at);
        if (position < 0) {
          return;
        }
        var replacement = missing.indexOf(slot) >= 0 ? correctionOf(slot.term, vocab) : null;
        if (replacement) {
          text = text.slice(0, position) + replacement + text.slice(position + slot.word.length);
          changed = true;
        }
        at = position + (replacement || slot.word).length;
      });
      return changed ? text : "";
    });
  }

  function run() {
    performance.mark("search:start");
    state.run += 1;
    var current = state.run;
    var query = state.query.trim();
    app.setAttribute("data-search-state", "running");
    updateUrl();
    var parsed = parse(state.query);
    if (!parsed.slots.length) {
      list.textContent = "";
      filtersBox.classList.add("portal-search-filters-box--empty");
      more.hidden = true;
      empty.hidden = true;
      suggestion.hidden = true;
      status.textContent = "Nhập từ khoá để tìm bài viết và văn bản.";
      app.setAttribute("data-search-state", "done");
      return Promise.resolve();
    }
    return load(indexUrl + "manifest.json").then(function (loaded) {
      manifest = loaded;
      manifest.total = manifest.segments.reduce(function (sum, s) { return sum + s[1]; }, 0);
      return searchIndex(parsed);
    }).then(function (found) {
      if (found.matches.length) {
        return { parsed: parsed, matches: found.matches, corrected: "" };
      }
      return corrected(query, parsed, found.byTerm).then(function (text) {
        if (!text) {
          return { parsed: parsed, matches: [], corrected: "" };
        }
        /* Searched as the suggestion's link searches it. */
        var again = parse(text);
        return searchIndex(again).then(function (retry) {
          return retry.matches.length
            ? { parsed: again, matches: retry.matches, corrected: text }
            : { parsed: parsed, matches: [], corrected: "" };
        });
      });
    }).then(function (result) {
      if (current !== state.run) {
        return null;
      }
      performance.mark("search:matched");
      state.matches = result.matches;
      state.corrected = result.corrected;
      state.shownQuery = query;
      state.highlight = highlightOf(result.parsed);
      return renderResults(current, true);
    }).catch(function () {
      status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy thử lại.";
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
    state.run += 1;
    renderResults(state.run, true);
  });
  sort.addEventListener("change", function () {
    state.order = sort.value;
    updateUrl();
    if (manifest && state.matches.length) {
      state.run += 1;
      renderResults(state.run, true);
    }
  });
  more.addEventListener("click", function () {
    renderResults(state.run, false);
  });

  var params = new URLSearchParams(window.location.search);
  state.query = params.get("q") || "";
  state.topic = params.get("chuyen-muc") || "";
  state.year = params.get("nam") || "";
  state.kind = params.get("loai") || "";
  state.order = params.get("sap-xep") === "moi-nhat" ? "moi-nhat" : "";
  sort.value = state.order;
  input.value = state.query;
  /* Filters open beside the results on a wide screen, behind one button on a phone. */
  filtersBox.open = window.matchMedia("(min-width: 56rem)").matches;
  load(indexUrl + "manifest.json");
  run();
})();
