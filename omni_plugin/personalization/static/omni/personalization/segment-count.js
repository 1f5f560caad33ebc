// The live count on the segment form: posts the form's rules and shows how many match.
(function () {
  "use strict";
  var DELAY_MS = 600;

  function setUp(box) {
    var form = box.closest("form");
    var result = box.querySelector("[data-omni-segment-count-result]");
    var timer = null;
    var latest = 0;

    function count() {
      var asked = ++latest;
      fetch(box.dataset.url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (asked !== latest) return;
          result.textContent = answer.error
            ? answer.error
            : answer.count + " of " + answer.total + " customers match these rules now.";
        })
        .catch(function () {
          if (asked === latest) result.textContent = "The count is not available right now.";
        });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(count, DELAY_MS);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    box.querySelector("[data-omni-segment-count-now]").addEventListener("click", count);
    count();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-omni-segment-count]").forEach(setUp);
  });
})();
