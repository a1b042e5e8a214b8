// khabar: small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Article page: bring the highlighted evidence into view.
  var mark = document.getElementById("hl");
  if (mark) { mark.scrollIntoView({block: "center"}); }

  // Analysis progress: poll the JSON status endpoint until the job ends.
  var job = document.getElementById("job");
  if (!job) { return; }
  var labels = document.getElementById("job-labels").dataset;
  var state = document.getElementById("job-state");
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var result = document.getElementById("job-result");

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }  // textContent: never parsed as HTML
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function show(s) {
    job.dataset.state = s.state;
    state.textContent = labels[s.state] || s.state;
    state.className = "badge state-" + s.state;
    bar.max = s.total; bar.value = s.processed;
    count.textContent = s.processed + " / " + s.total;
    if (s.state === "done") {
      result.replaceChildren();
      var m = s.summary;
      result.appendChild(el("p", m.analysed + " " + labels.analysed + " · " + m.duplicates + " " + labels.duplicates +
        " · " + m.unchanged + " " + labels.unchanged + " · " + m.skipped.length + " " + labels.skipped));
      result.appendChild(el("h2", labels.stories));
      var ul = el("ul", undefined, {"class": "job-stories"});
      m.stories.forEach(function (id) {
        var li = el("li");
        li.appendChild(el("a", id, {href: "/story/" + encodeURIComponent(id)}));
        ul.appendChild(li);
      });
      result.appendChild(ul);
      m.skipped.forEach(function (p) { result.appendChild(el("p", p.path + ": " + p.reason, {"class": "meta"})); });
    } else if (s.state === "failed") {
      result.replaceChildren(el("p", s.error, {"class": "error"}));
    }
  }

  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(job.dataset.job), {headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.error && !s.state) { result.replaceChildren(el("p", s.error, {"class": "error"})); return; }
        show(s);
        if (s.state === "queued" || s.state === "running") { setTimeout(poll, 500); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  if (job.dataset.state === "queued" || job.dataset.state === "running") { poll(); }
});
