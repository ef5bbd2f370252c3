/* The print date (CSS cannot know it), set in the masthead as printing starts. */
window.addEventListener("beforeprint", function () {
  "use strict";
  var d = new Date();
  var two = function (n) { return (n < 10 ? "0" : "") + n; };
  var text = two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear() +
    " " + two(d.getHours()) + ":" + two(d.getMinutes());
  document.querySelectorAll(".portal-print-date").forEach(function (element) {
    element.textContent = " · " + element.getAttribute("data-print-label") + " " + text;
  });
});
