/*
 * The portal's additions to Decap CMS, loaded before its bundle.
 *
 * - The "portal-header" format: the files the editor reads and writes are
 *   the reader's files, a `Key: value` header (the grammar of
 *   lib/content_model/header.py), a blank line, the Markdown body.
 * - The review gate: saving an article whose Status is "published" signs it
 *   with the backend user's name (Reviewed_by) and the time (Reviewed_at);
 *   publishing refuses an entry not saved as "published" (or "retracted").
 * - The preview: the portal's own CSS and the article template's parts.
 *
 * The grammar (keys in order, lists, repeated keys, dates, what each state
 * requires) is generated from the article model into the page
 * (#portal-header-grammar); nothing of it is written here.
 */
(function (root) {
  "use strict";

  var KEY_LINE = /^ {0,3}([A-Za-z0-9_-]+):\s*(.*?)\s*$/;
  var CONTINUATION_LINE = /^ {4,}(.*?)\s*$/;
  var CORRECTION =
    /^(\d{1,4}[-/]\d{1,2}[-/]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)(?:\s*[:|;,\-\u2013\u2014]+\s*|\s+)(\S.*)$/;
  var DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?$/;
  var YES = ["yes", "true", "1", "có", "co"];
  var TIME_ZONE = "Asia/Ho_Chi_Minh";
  var SIGNED_ON_SAVE = ["Reviewed_by", "Reviewed_at", "Retracted_at"];

  /* header.py's split_article: fields with their values, and the body. */
  function splitArticle(text) {
    var lines = text.split("\n");
    var fields = [];
    var bodyStart = lines.length;
    var comments = null;
    var index;
    for (index = 0; index < lines.length; index += 1) {
      var line = lines[index];
      if (!line.trim()) {
        bodyStart = comments === null ? index + 1 : comments;
        break;
      }
      var key = KEY_LINE.exec(line);
      if (key) {
        fields.push([key[1], key[2]]);
        comments = null;
        continue;
      }
      if (line.charAt(0) === "#") {
        comments = comments === null ? index : comments;
        continue;
      }
      var more = CONTINUATION_LINE.exec(line);
      if (more && fields.length && comments === null) {
        var last = fields[fields.length - 1];
        last[1] = (last[1] + " " + more[1]).trim();
        continue;
      }
      bodyStart = comments === null ? index : comments;
      break;
    }
    if (index === lines.length && comments !== null) {
      bodyStart = comments;
    }
    return { fields: fields, body: lines.slice(bodyStart).join("\n") };
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  /* A date as the form shows it: 30/11/2026 08:00 becomes 2026-11-30 08:00. */
  function isoDate(value) {
    var match = DAY_FIRST.exec(value);
    if (!match) {
      return value;
    }
    var day = match[3] + "-" + pad(+match[2]) + "-" + pad(+match[1]);
    return match[4] ? day + " " + pad(+match[4]) + ":" + match[5] : day;
  }

  function oneLine(value) {
    return String(value).replace(/\s+/g, " ").trim();
  }

  function makeFormat(grammar) {
    var order = [];
    ["article", "page", "document"].forEach(function (kind) {
      grammar.order[kind].forEach(function (key) {
        if (order.indexOf(key) < 0) {
          order.push(key);
        }
      });
    });

    function fromFile(text) {
      var source = splitArticle(text.replace(/\r\n/g, "\n"));
      var data = {};
      source.fields.forEach(function (field) {
        var key = field[0];
        var value = field[1];
        if (grammar.repeated[key]) {
          var parts = CORRECTION.exec(value);
          var item = parts
            ? { date: isoDate(parts[1]), text: parts[2].trim() }
            : { date: "", text: value };
          data[key] = (data[key] || []).concat([item]);
        } else if (grammar.lists[key]) {
          var separator =
            grammar.lists[key].trim() === ";" || value.indexOf(";") >= 0 ? ";" : ",";
          data[key] = value
            .split(separator)
            .map(oneLine)
            .filter(Boolean);
        } else if (grammar.flags.indexOf(key) >= 0) {
          data[key] = YES.indexOf(value.toLowerCase()) >= 0;
        } else if (grammar.dates.indexOf(key) >= 0) {
          data[key] = isoDate(value);
        } else {
          data[key] = value;
        }
      });
      data.body = source.body;
      return data;
    }

    function headerLines(key, value) {
      if (value === undefined || value === null || value === "" || value === false) {
        return [];
      }
      if (grammar.repeated[key]) {
        return value
          .filter(function (item) {
            return item && oneLine(item.text || "");
          })
          .map(function (item) {
            return key + ": " + oneLine(item.date || "") + " — " + oneLine(item.text);
          });
      }
      if (grammar.lists[key]) {
        var names = (Array.isArray(value) ? value : [value]).map(oneLine).filter(Boolean);
        if (!names.length) {
          return [];
        }
        var separator = grammar.lists[key];
        var hasComma = names.some(function (name) {
          return name.indexOf(",") >= 0;
        });
        return [key + ": " + names.join(hasComma ? "; " : separator)];
      }
      if (value === true) {
        return [key + ": yes"];
      }
      var text = oneLine(value);
      return text ? [key + ": " + text] : [];
    }

    function toFile(data) {
      var lines = [];
      var keys = order.filter(function (key) {
        return Object.prototype.hasOwnProperty.call(data, key);
      });
      Object.keys(data).forEach(function (key) {
        if (key !== "body" && keys.indexOf(key) < 0) {
          keys.push(key);
        }
      });
      keys.forEach(function (key) {
        lines = lines.concat(headerLines(key, data[key]));
      });
      var body = String(data.body || "").replace(/\r\n/g, "\n").replace(/\s+$/, "");
      return lines.join("\n") + "\n\n" + body + "\n";
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  /* The newsroom's time now, as the form writes dates: 2026-12-02 08:05. */
  function newsroomNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TIME_ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date())
      .forEach(function (part) {
        parts[part.type] = part.value;
      });
    return (
      parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute
    );
  }

  /* The backend user's name; the local server knows none: the clone's git
     user (grammar.local_user) signs there. */
  function userName(grammar, author) {
    return (author && (author.name || author.login)) || grammar.local_user || "";
  }

  function isEmpty(value) {
    return (
      value === undefined ||
      value === null ||
      (typeof value === "string" && !value.trim()) ||
      (value && typeof value.size === "number" && value.size === 0)
    );
  }

  /* Saving: a lead image of a type readers get, with its caption (its alt
     text); a published article is signed by whoever saves it so. */
  function checkOnSave(grammar, event) {
    var entry = event.entry;
    if (grammar.article_collections.indexOf(entry.get("collection")) < 0) {
      return undefined;
    }
    var data = entry.get("data");
    var image = data.get("Image");
    if (!isEmpty(image)) {
      var type = String(image).split(".").pop().toLowerCase();
      if (grammar.image_types.indexOf(type) < 0) {
        throw new Error(
          "Ảnh đại diện " + image + " không được đăng: hãy dùng ảnh " +
            grammar.image_types.join(", ") + "."
        );
      }
      if (isEmpty(data.get("Image_caption"))) {
        throw new Error(
          "Ảnh đại diện cần chú thích: chú thích là mô tả (alt) của ảnh cho " +
            "người đọc không xem được ảnh; hãy điền Chú thích ảnh rồi lưu lại."
        );
      }
    }
    var status = data.get("Status");
    if (status === "published") {
      return data
        .set("Reviewed_by", userName(grammar, event.author) || data.get("Reviewed_by"))
        .set("Reviewed_at", newsroomNow());
    }
    if (status === "retracted" && isEmpty(data.get("Retracted_at"))) {
      return data.set("Retracted_at", newsroomNow());
    }
    return undefined;
  }

  /* Publishing: only an article saved as "published" (so signed by whoever
     saved it so: the reviewer) or "retracted", with every field its state
     requires, reaches main. */
  function checkBeforePublish(grammar) {
    return function (event) {
      var entry = event.entry;
      if (grammar.article_collections.indexOf(entry.get("collection")) < 0) {
        return undefined;
      }
      var data = entry.get("data");
      var status = data.get("Status");
      if (status !== "published" && status !== "retracted") {
        throw new Error(
          'Chưa xuất bản được: hãy chọn Trạng thái "Đăng (published)" (hoặc ' +
            '"Đã gỡ") rồi bấm Lưu trước khi xuất bản.'
        );
      }
      // Reviewed_by, Reviewed_at and Retracted_at are written by the save
      // (checkOnSave) into the file, not into the form this event sees.
      var missing = (grammar.state_requires[status] || []).filter(function (key) {
        return SIGNED_ON_SAVE.indexOf(key) < 0 && isEmpty(data.get(key));
      });
      if (missing.length) {
        throw new Error(
          "Chưa xuất bản được: còn thiếu " +
            missing
              .map(function (key) {
                return grammar.labels[key] || key;
              })
              .join(", ") +
            "; hãy điền rồi bấm Lưu."
        );
      }
      return undefined;
    };
  }

  function dateLine(grammar, value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(isoDate(value || ""));
    if (!match) {
      return value || "";
    }
    var weekday = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])).getUTCDay();
    var line = grammar.weekdays[(weekday + 6) % 7] + ", " + match[3] + "/" + match[2] + "/" + match[1];
    return match[4] ? line + " - " + match[4] + ":" + match[5] : line;
  }

  function articlePreview(grammar, h) {
    return function (props) {
      var data = props.entry.get("data");
      var get = function (key) {
        var value = data.get(key);
        return value && value.toJS ? value.toJS() : value;
      };
      var topics = [get("Category")].concat(get("Topics") || []).filter(Boolean);
      var authors = get("Authors") || [];
      var image = get("Image");
      var corrections = (get("Correction") || []).filter(function (item) {
        return item && item.text;
      });
      return h(
        "main",
        { className: "portal-main", id: "main" },
        h(
          "article",
          { className: "portal-article" },
          h(
            "header",
            null,
            h("p", { className: "portal-article__sections" }, topics.join(" · ")),
            h("h1", { className: "portal-article__title" }, get("Title") || ""),
            h(
              "p",
              { className: "portal-article__meta" },
              h("time", null, dateLine(grammar, get("Date")))
            ),
            h(
              "p",
              { className: "portal-article__meta" },
              authors.length ? h("span", { className: "portal-article__authors" }, authors.join(", ")) : null,
              get("Source") ? h("span", { className: "portal-article__source" }, " · Nguồn: " + get("Source")) : null
            )
          ),
          get("Summary") ? h("p", { className: "portal-article__lead" }, get("Summary")) : null,
          image
            ? h(
                "figure",
                { className: "portal-figure" },
                h("img", {
                  src: props.getAsset(image).toString(),
                  alt: get("Image_caption") || get("Title") || "",
                }),
                get("Image_caption") ? h("figcaption", null, get("Image_caption")) : null
              )
            : null,
          corrections.length
            ? h(
                "aside",
                { className: "portal-correction" },
                h("h2", { className: "portal-correction__title" }, "Đính chính"),
                h(
                  "ul",
                  { className: "portal-correction__list" },
                  corrections.map(function (item, index) {
                    return h("li", { key: index }, h("time", null, dateLine(grammar, item.date)), ": " + item.text);
                  })
                )
              )
            : null,
          h("div", { className: "portal-article__body" }, props.widgetFor("body"))
        )
      );
    };
  }

  /* ``base`` with the phrases of ``extra`` it lacks, at every depth. */
  function completed(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      if (extra[key] && typeof extra[key] === "object") {
        out[key] = completed(out[key] && typeof out[key] === "object" ? out[key] : {}, extra[key]);
      } else if (!(key in out)) {
        out[key] = extra[key];
      }
    });
    return out;
  }

  function start() {
    var grammar = JSON.parse(document.getElementById("portal-header-grammar").textContent);
    var CMS = root.CMS;
    /* Decap's Vietnamese, completed by ours where it has no phrase (phrases.py). */
    CMS.registerLocale("vi", completed(CMS.getLocale("vi") || {}, grammar.phrases));
    CMS.registerCustomFormat("portal-header", "md", makeFormat(grammar));
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) {
        return checkOnSave(grammar, event);
      },
    });
    CMS.registerEventListener({ name: "prePublish", handler: checkBeforePublish(grammar) });
    CMS.registerPreviewStyle(grammar.preview_css);
    grammar.article_collections.forEach(function (name) {
      CMS.registerPreviewTemplate(name, articlePreview(grammar, root.h));
    });
    CMS.init();
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { makeFormat: makeFormat, splitArticle: splitArticle, completed: completed };
  } else {
    root.CMS_MANUAL_INIT = true;
    root.addEventListener("DOMContentLoaded", start);
  }
})(typeof window !== "undefined" ? window : globalThis);
