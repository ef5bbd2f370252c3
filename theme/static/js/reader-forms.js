/* Readers' forms: say when the intake service is down; hide a draft's comment
   form past its deadline (the service refuses it anyway). */
document.querySelectorAll("form[data-service]").forEach(function (form) {
  "use strict";
  var closes = form.getAttribute("data-closes");
  if (closes && Date.now() > Date.parse(closes)) {
    form.hidden = true;
    form.parentNode.querySelector(".portal-form__closed").hidden = false;
    return;
  }
  var down = function () {
    form.querySelector(".portal-form__unavailable").hidden = false;
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  };
  fetch(form.getAttribute("data-service"), { cache: "no-store" })
    .then(function (r) { if (!r.ok) { down(); } }, down);
});
