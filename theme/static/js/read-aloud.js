/* Nghe đọc bài: the browser's own speech synthesis reads the article, one
   utterance a paragraph; the button shows only with a Vietnamese voice. */
(function () {
  "use strict";
  var synth = window.speechSynthesis;

  function voice() {
    var voices = (synth && synth.getVoices && synth.getVoices()) || [];
    for (var i = 0; i < voices.length; i += 1) {
      if (/^vi([-_]|$)/i.test(voices[i].lang || "")) {
        return voices[i];
      }
    }
    return null;
  }

  function passages(selector) {
    var texts = [];
    document.querySelectorAll(selector).forEach(function (part) {
      var blocks = part.querySelectorAll("p, li, h2, h3, h4, blockquote, td");
      (blocks.length ? blocks : [part]).forEach(function (block) {
        var text = block.textContent.replace(/\s+/g, " ").trim();
        if (text) {
          texts.push(text);
        }
      });
    });
    return texts;
  }

  function setUp(button) {
    function reading() {
      return button.getAttribute("aria-pressed") === "true";
    }
    function stop() {
      button.setAttribute("aria-pressed", "false");
      synth.cancel();
    }
    function speak(texts, index) {
      if (!reading() || index >= texts.length) {
        stop();
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(texts[index]);
      var chosen = voice();
      utterance.lang = chosen ? chosen.lang : "vi-VN";
      try {
        utterance.voice = chosen;
      } catch (error) { /* not this engine's voice: the language picks one */ }
      utterance.onend = function () { speak(texts, index + 1); };
      utterance.onerror = stop;
      synth.speak(utterance);
    }
    button.addEventListener("click", function () {
      if (reading()) {
        stop();
        return;
      }
      synth.cancel();
      button.setAttribute("aria-pressed", "true");
      speak(passages(button.getAttribute("data-read-aloud")), 0);
    });
    window.addEventListener("pagehide", stop);
  }

  function show(buttons) {
    var found = Boolean(voice());
    buttons.forEach(function (button) { button.hidden = !found; });
    return found;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button[data-read-aloud]");
    if (!buttons.length || !synth || !window.SpeechSynthesisUtterance) {
      return;
    }
    buttons.forEach(setUp);
    if (!show(buttons) && synth.addEventListener) {
      /* Chromium lists its voices only once they are loaded. */
      synth.addEventListener("voiceschanged", function () { show(buttons); });
    }
  });
})();
