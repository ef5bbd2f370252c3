/* Portal: the two things JavaScript adds to pages that read well without it:
   the article font size (remembered) and print / copy-link buttons. */
(function () {
  "use strict";
  var KEY = "portal-font-size";
  var MIN = -2;
  var MAX = 3;
  var root = document.documentElement;

  function stored() {
    try {
      var step = parseInt(window.localStorage.getItem(KEY), 10);
      return isNaN(step) ? 0 : Math.min(MAX, Math.max(MIN, step));
    } catch (error) {
      return 0;
    }
  }

  function setStep(step) {
    root.setAttribute("data-font-size", String(step));
    try {
      window.localStorage.setItem(KEY, String(step));
    } catch (error) {
      /* Private browsing: the size still applies to this page. */
    }
  }

  root.setAttribute("data-font-size", String(stored()));

  function announce(element, text) {
    if (element) {
      element.textContent = text;
    }
  }

  function init() {
    var tools = document.querySelectorAll("[data-needs-js]");
    Array.prototype.forEach.call(tools, function (element) {
      element.hidden = false;
    });
    var buttons = document.querySelectorAll("button[data-font-size]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var action = button.getAttribute("data-font-size");
        var step = stored();
        if (action === "larger") {
          step = Math.min(MAX, step + 1);
        } else if (action === "smaller") {
          step = Math.max(MIN, step - 1);
        } else {
          step = 0;
        }
        setStep(step);
      });
    });
    var printButton = document.querySelector("button.portal-print");
    if (printButton) {
      printButton.addEventListener("click", function () {
        window.print();
      });
    }
    var copyButton = document.querySelector("button.portal-share__copy");
    if (copyButton) {
      copyButton.addEventListener("click", function () {
        var status = document.querySelector(".portal-share__status");
        var url = copyButton.getAttribute("data-url") || window.location.href;
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(
            function () { announce(status, "Đã sao chép liên kết."); },
            function () { announce(status, url); }
          );
        } else {
          announce(status, url);
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
