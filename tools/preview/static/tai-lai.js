/* The preview's live reload (invoke serve only; never in the built site).
   Listens to the preview's event stream: when a build ends (for this page,
   as soon as the build has written it), the page reloads; while the last
   build has problems, every page shows them. */
(function () {
  "use strict";
  var EVENTS = "/__xem-thu/su-kien";
  var script = document.currentScript;
  var servedBuild = script ? script.getAttribute("data-build") : null;
  var source = null;
  var reloading = false;
  var shownProblems = null;
  var panel = null;
  var status = document.createElement("p");

  status.className = "portal-preview-status";
  status.setAttribute("role", "status");
  status.hidden = true;
  document.body.appendChild(status);

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  function problemItem(problem) {
    var item = document.createElement("li");
    if (problem.file) {
      var where = document.createElement("code");
      where.className = "portal-preview__where";
      where.textContent =
        problem.file + (problem.line ? ":" + String(problem.line) : "");
      item.appendChild(where);
      item.appendChild(document.createTextNode(" "));
    }
    var message = document.createElement("span");
    message.textContent = problem.message;
    item.appendChild(message);
    return item;
  }

  function showProblems(problems) {
    var key = JSON.stringify(problems);
    if (key === shownProblems) {
      return;
    }
    shownProblems = key;
    if (panel) {
      panel.parentNode.removeChild(panel);
      panel = null;
    }
    if (!problems.length) {
      return;
    }
    var inArticles = problems.some(function (problem) {
      return Boolean(problem.file);
    });
    panel = document.createElement("section");
    panel.className = "portal-preview";
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "portal-preview-heading");
    var heading = document.createElement("h2");
    heading.className = "portal-preview__heading";
    heading.id = "portal-preview-heading";
    heading.textContent = inArticles
      ? "Bài viết có lỗi, trang chưa cập nhật"
      : "Bản dựng có lỗi, trang chưa cập nhật";
    var hint = document.createElement("p");
    hint.className = "portal-preview__hint";
    hint.textContent =
      "Có " + String(problems.length) + " lỗi; bài có lỗi không được dựng. " +
      "Sửa rồi lưu tệp: trang sẽ tự tải lại.";
    var list = document.createElement("ul");
    list.className = "portal-preview__problems";
    problems.forEach(function (problem) {
      list.appendChild(problemItem(problem));
    });
    panel.appendChild(heading);
    panel.appendChild(hint);
    panel.appendChild(list);
    document.body.insertBefore(panel, document.body.firstChild);
  }

  function received(event) {
    var state = JSON.parse(event.data);
    if (reloading) {
      return;
    }
    if (!state.building && state.build !== servedBuild) {
      reloading = true;
      say("Đã dựng xong, đang tải lại trang…");
      window.location.reload();
      return;
    }
    say(state.building ? "Đang dựng lại trang…" : "");
    showProblems(state.problems);
  }

  function connect() {
    if (source) {
      return;
    }
    /* The page says which it is: a build renders it before the others
       and tells it to reload as soon as it is written. */
    source = new EventSource(
      EVENTS + "?trang=" + encodeURIComponent(window.location.pathname)
    );
    source.onmessage = received;
    source.onopen = function () {
      if (status.textContent.indexOf("kết nối") !== -1) {
        say("");
      }
    };
    source.onerror = function () {
      if (!reloading) {
        say("Mất kết nối với invoke serve; đang thử kết nối lại…");
      }
    };
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  /* A hidden tab lets its connection go (a browser opens few at once to
     one server); shown again, it connects and reloads if a build ended. */
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      disconnect();
    } else {
      connect();
    }
  });
  window.addEventListener("pagehide", disconnect);
  connect();
})();
