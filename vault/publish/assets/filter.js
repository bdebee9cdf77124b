(function () {
  "use strict";
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#cases tbody tr"));
  var count = document.getElementById("count");
  var q = form.elements.q, status = form.elements.status, region = form.elements.region, article = form.elements.article;
  function norm(s) { return s.toLowerCase().replace(/ё/g, "е"); }
  function select(el, v) { el.value = v || ""; if (el.value !== (v || "")) { el.value = ""; } }
  function apply() {
    var words = norm(q.value).split(/\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (tr) {
      var d = tr.dataset, ok = (!status.value || d.status === status.value) &&
        (!region.value || d.region === region.value) &&
        (!article.value || d.articles.indexOf("|" + article.value + "|") >= 0);
      for (var i = 0; ok && i < words.length; i++) { ok = d.text.indexOf(words[i]) >= 0; }
      tr.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown === rows.length ? rows.length + " cases" : shown + " of " + rows.length + " cases";
  }
  var p = new URLSearchParams(window.location.search);
  q.value = p.get("q") || "";
  select(status, p.get("status"));
  select(region, p.get("region"));
  select(article, p.get("article"));
  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  apply();
})();
