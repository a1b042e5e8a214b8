// khabar: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Story list: filter by words of the label.
  var box = document.getElementById("story-filter");
  if (box) {
    box.addEventListener("input", function () {
      var q = box.value.trim();
      document.querySelectorAll(".story-item").forEach(function (li) {
        var label = li.getAttribute("data-label") || "";
        li.classList.toggle("hidden", q !== "" && label.indexOf(q) === -1);
      });
    });
  }
  // Article page: bring the highlighted evidence into view.
  var mark = document.getElementById("hl");
  if (mark) { mark.scrollIntoView({block: "center"}); }
});
