/* Readers' forms: say so when the intake service is down (the form then
   cannot be sent), and hide a draft's comment form past its deadline. The
   forms work without this script; the service is the authority on both. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-service]");
  forms.forEach(function (form) {
    var closes = form.getAttribute("data-closes");
    if (closes && Date.now() > Date.parse(closes)) {
      form.hidden = true;
      var closed = form.parentNode.querySelector(".portal-form__closed");
      if (closed) { closed.hidden = false; }
      return;
    }
    var down = function () {
      var notice = form.querySelector(".portal-form__unavailable");
      if (notice) { notice.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    };
    fetch(form.getAttribute("data-service"), { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { down(); } })
      .catch(down);
  });
})();
