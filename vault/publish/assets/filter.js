(function () {
  "use strict";
  // fold reduces the reader's query as skeleton and stem reduce words in Go
  // (vault/publish/translit.go, names.go), with tables generated from
  // Go's (foldtables.json, in the page): lower case, ё/е, Latin and
  // Cyrillic spellings, case endings. Each row of the index carries its
  // case's words folded the same way (data-words). Nothing is sent
  // anywhere: the page has no network access (its Content-Security-Policy).
  var T = JSON.parse(document.getElementById("fold-tables").textContent);
  var APOS = "'\u2019\u02BC\u02B9`\u00B4\u02BB\u02BD", HYPHENS = "-\u2010\u2011";
  var reLetter = /\p{L}/u, reCyr = /\p{Script=Cyrillic}/u, reDigit = /\p{Nd}/u, reMark = /[\p{Mn}\p{Cf}]/u,
    reIgnored = /[\p{Cf}\u034F\u115F\u1160\u3164\uFFA0\u180B-\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isApostrophe(r) { return r.length === 1 && APOS.indexOf(r) >= 0; }
  function isLetter(r) { return reLetter.test(r) && !isApostrophe(r); }

  // normalize: format characters dropped, digraph letters spelled out,
  // compatibility decomposition without accents, lower case; Cyrillic й
  // and ё stay whole. Returns code points.
  function normalize(s) {
    var out = [];
    Array.from(s).forEach(function (ch) {
      if (ch.codePointAt(0) < 0x80) { out.push(ch >= "A" && ch <= "Z" ? ch.toLowerCase() : ch); return; }
      if (reIgnored.test(ch)) { return; }
      if (has(T.special, ch)) { out.push.apply(out, Array.from(T.special[ch])); return; }
      if (reCyr.test(ch)) { out.push(ch.toLowerCase()); return; }
      Array.from(ch.normalize("NFKD")).forEach(function (c) { if (!reMark.test(c)) { out.push(c.toLowerCase()); } });
    });
    return out;
  }

  function replaceFolds(s) {
    var out = "", i = 0;
    next: while (i < s.length) {
      for (var k = 0; k < T.folds.length; k++) {
        if (s.startsWith(T.folds[k][0], i)) { out += T.folds[k][1]; i += T.folds[k][0].length; continue next; }
      }
      out += s[i];
      i++;
    }
    return out;
  }

  function collapse(s) {
    var out = "", last = "";
    Array.from(s).forEach(function (c) { if (c !== last || reDigit.test(c)) { out += c; } last = c; });
    return out;
  }

  function glides(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      if (s[i] === "i" && i + 1 < s.length) {
        var n = s[i + 1];
        if (n === "a" || n === "e" || n === "u") { continue; }
        if (n === "o") { out += "e"; i++; continue; }
      }
      out += s[i];
    }
    return out;
  }

  // latin is a word's code points in Latin letters, before the folds
  // (the first half of foldWord in Go).
  function latin(rs) {
    var lat = 0, cyr = 0;
    rs.forEach(function (r) {
      if (r.codePointAt(0) < 0x80) { if (reLetter.test(r)) { lat++; } } else if (reCyr.test(r)) { cyr++; }
    });
    var b = "";
    rs.forEach(function (r) {
      if (r.codePointAt(0) < 0x80) {
        b += cyr > lat && has(T.latinInCyr, r) ? T.latinInCyr[r] : r;
      } else if (reCyr.test(r)) {
        b += lat > cyr && has(T.cyrInLatin, r) ? T.cyrInLatin[r] : (has(T.cyr, r) ? T.cyr[r] : "");
      } else {
        b += has(T.other, r) ? T.other[r] : r;
      }
    });
    return b;
  }

  // fold is the second half of foldWord: spelling variants, double
  // letters, glides.
  function fold(b) { return collapse(glides(collapse(replaceFolds(b)))); }

  function stem(s) {
    if (s.endsWith("enko")) { return s.slice(0, -1); }
    var n = Array.from(s).length;
    for (var i = 0; i < T.endings.length; i++) {
      var e = T.endings[i];
      if (!s.endsWith(e)) { continue; }
      var st = s.slice(0, s.length - e.length), k = n - e.length;
      if (k >= 3 || k === 2 && "aeou".indexOf(st[st.length - 1]) >= 0) { return st; }
    }
    return s;
  }

  // words splits text into folded words as Go's tokenize does: runs of
  // letters, joined across an apostrophe or a hyphen between letters, and
  // runs of digits.
  function words(s) {
    var n = normalize(s), out = [], word = [], letters = false;
    function flush() {
      if (!word.length) { return; }
      if (letters) {
        var l = latin(word), sk = fold(l);
        out.push({skel: sk, stem: stem(sk), latin: l});
      } else {
        var d = word.join("");
        out.push({skel: d, stem: d});
      }
      word = [];
    }
    for (var i = 0; i < n.length; i++) {
      var r = n[i], isL = isLetter(r), isD = r.length === 1 && r >= "0" && r <= "9";
      if (isL || isD) {
        if (word.length && letters !== isL) { flush(); }
        if (!word.length) { letters = isL; }
        word.push(r);
      } else if (word.length && letters && (isApostrophe(r) || HYPHENS.indexOf(r) >= 0) && i + 1 < n.length && isLetter(n[i + 1])) {
        if (isApostrophe(r) && n[i + 1] === "s" && (i + 2 >= n.length || !reLetter.test(n[i + 2]))) { flush(); }
      } else {
        flush();
      }
    }
    flush();
    return out;
  }

  // A word typed is the start of a word whose next letters the reader has
  // not typed yet; they can change how its end folds (leaflet: leaflets,
  // an i before a vowel). continuations are what may follow: the rest of every
  // fold pair, and the vowels that make a glide.
  var continuations = ["a", "e", "o", "u"];
  T.folds.forEach(function (f) {
    for (var i = 1; i < f[0].length; i++) {
      if (continuations.indexOf(f[0].slice(i)) < 0) { continuations.push(f[0].slice(i)); }
    }
  });

  // starts are the folded forms a word of the case may start with for a
  // word of the query to be its start: the query word's stem, and its
  // spelling followed by each continuation.
  function starts(t) {
    var out = [t.latin === undefined ? t.skel : t.stem];
    if (t.latin !== undefined) {
      continuations.forEach(function (c) {
        var s = fold(t.latin + c);
        if (out.indexOf(s) < 0) { out.push(s); }
      });
    }
    // common: what they all start with, to pass over most words at once.
    out.common = out.reduce(function (a, b) {
      var i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) { i++; }
      return a.slice(0, i);
    });
    return out;
  }

  // query: per whitespace-separated part, its words: all but the last as
  // stems, the last as the forms it may start. A part with a hyphen is
  // also its pieces, in order (both halves declined: северо-западного).
  // .raw is the part in lower case, which matches the start of a case's
  // public ID.
  function query(s) {
    return s.split(/\s+/).map(function (part) {
      var alts = [part];
      if (/[-\u2010\u2011]/.test(part)) { alts.push(part.replace(/[-\u2010\u2011]/g, " ")); }
      var p = alts.map(function (a) {
        var ws = words(a);
        return ws.map(function (w, i) { return i === ws.length - 1 ? starts(w) : w.stem; });
      }).filter(function (a) { return a.length > 0; });
      p.raw = part.toLowerCase();
      return p;
    }).filter(function (p) { return p.length > 0; });
  }

  // matches: the words of one of a part's forms follow one another in the
  // case's words, all but the last whole (by stem), the last as the start
  // of a word.
  function matches(ws, stems, part) {
    return part.some(function (seq) {
      var last = seq.length - 1;
      for (var j = 0; j + last < ws.length; j++) {
        var ok = true;
        for (var i = 0; ok && i < last; i++) { ok = stems[j + i] === seq[i]; }
        ok = ok && ws[j + last].startsWith(seq[last].common);
        for (var k = 0; ok && k < seq[last].length; k++) {
          if (ws[j + last].startsWith(seq[last][k])) { return true; }
        }
      }
      return false;
    });
  }

  // For the browser test: the page's own fold, and whether a query finds a
  // text.
  window.casevaultFold = {
    words: words,
    query: query,
    finds: function (q, text) {
      var ws = words(text).concat([{skel: "|"}], words(text.replace(/[-\u2010\u2011]/g, " ")))
        .map(function (w) { return w.skel; }), stems = ws.map(stem);
      return query(q).every(function (p) { return matches(ws, stems, p); });
    }
  };

  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#cases tbody tr")).map(function (tr) {
    var ws = (tr.dataset.words || "").split(" ");
    return {tr: tr, ws: ws, stems: ws.map(stem)};
  });
  var count = document.getElementById("count");
  var q = form.elements.q, status = form.elements.status, region = form.elements.region, article = form.elements.article;
  function select(el, v) { el.value = v || ""; if (el.value !== (v || "")) { el.value = ""; } }
  function apply() {
    var parts = query(q.value), shown = 0;
    rows.forEach(function (row) {
      var d = row.tr.dataset, ok = (!status.value || d.status === status.value) &&
        (!region.value || d.region === region.value) &&
        (!article.value || d.articles.indexOf("|" + article.value + "|") >= 0);
      for (var i = 0; ok && i < parts.length; i++) {
        ok = matches(row.ws, row.stems, parts[i]) || parts[i].raw.length >= 4 && row.tr.id.startsWith(parts[i].raw);
      }
      row.tr.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown === rows.length ? cases("all", rows.length, "{n} cases") : cases("of", rows.length, "{shown} of {n} cases").replace("{shown}", shown);
  }
  // "N cases" and "M of N cases" in the page's language: their plural
  // forms (CLDR categories of the page's language) are the JSON of the
  // data-forms attribute of #count.
  var forms = {};
  try { forms = JSON.parse(count.getAttribute("data-forms") || "{}"); } catch (e) { forms = {}; }
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;
  function cases(which, n, fallback) {
    var f = plural ? plural.select(n) : (n === 1 ? "one" : "other"), w = forms[which] || {};
    return (w[f] || w.other || fallback).replace("{n}", n);
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
