/* Gương Sáng: search with or without diacritics, inside Material's own search.
 *
 * The build adds to each entry of search/search_index.json the other forms of
 * its words: folded ("Làm theo Bác" → "lam bac") and with the tone mark of
 * "oa", "oe", "uy" on the second vowel ("Huyện ủy" → "uỷ");
 * hooks/guongsang/search.py. A word typed without diacritics ("dong lac")
 * finds those; a word typed with diacritics finds only itself, in either tone
 * placement, so exact matches come first and are not buried under every
 * "bắc", "bạc" or "hộ". A word typed with letters but no tone mark ("đong",
 * "Đông") is taken as typed without diacritics (phone keyboards have a đ key;
 * tones are what gets skipped), the word as typed ranking first.
 *
 * What this script does in the browser (it is loaded in <head>, before
 * Material's bundle: mkdocs.yml, extra.polyfills):
 *
 * 1. Holds back the search index. Material requests search/search_index.json
 *    as soon as a page loads; at thousands of stories that is megabytes on
 *    every first visit. The request waits here until the reader opens, focuses
 *    or types in search (or follows a ?q= or ?h= link).
 * 2. Prepares each query Material's worker receives (its QUERY message, which
 *    covers typing, focus and ?q= links, and never touches what the reader
 *    sees in the box): NFC, one tone placement, and every word required
 *    ("dong lac" → "+dong* +lac*"): lunr otherwise ORs the words, and folding
 *    makes "dong" match "đồng" (money) and "động" too.
 *    A colon, a straight quote or a dash in a pasted title («Xã Nam Tân: cấp ủy
 *    …») is punctuation: only title:, text:, tags:, a leading +word or -word and
 *    word*, word~1, word^2 are the reader's own lunr syntax, left as typed.
 * 3. Highlights in the results the words matched through their other forms,
 *    which Material cannot (it highlights only the field it matched, and the
 *    folded fields are never shown), and on the page opened with ?h=.
 *
 * It works on browsers without regex lookbehind (Safari before 16.4), and if
 * anything in it fails, it lets go of the index and leaves Material's search
 * as it is.
 */
(function () {
  "use strict";

  // Whatever fails below, Material's search goes on as without this script: the index is
  // let go and queries reach the worker as typed.
  function letGo(error) {
    released = true;
    (held || []).splice(0).forEach(function (send) { send(); });
    if (window.console) window.console.warn("search-fold.js:", error);
  }

  try {
    // Material's worker protocol: SETUP = 0, READY = 1, QUERY = 2, RESULT = 3.
    var READY = 1;
    var QUERY = 2;
    var RESULT = 3;
    var INDEX = /(^|\/)search\/search_index\.json(\?|$)/;
    // lunr.vi's stop words are never in the index: required, they would match nothing.
    var STOP_WORDS = { "là": 1, "cái": 1, "nhưng": 1, "mà": 1 };
    // The reader's own lunr syntax, left as typed: +word, -word, word*, word~1, word^2, and
    // field:word for the fields Material lets a query name. Any other colon or quote, and a
    // dash between spaces, is punctuation.
    var OPERATORS = /(^|\s)[+\-](?=[\p{L}\p{N}])|[\p{L}\p{N}\p{M}][*~^]|(^|\s)(title|text|tags):/iu;
    // Words as the index splits them (mkdocs.yml, search separator): at spaces and
    // punctuation, but not at the point of "2.5".
    var SEPARATOR = /(?:[^\p{L}\p{N}\p{M}.]|\.(?!\d))+/u;
    var WORD = /[\p{L}\p{N}\p{M}]+/gu;
    var TONE = "\u0300\u0301\u0303\u0309\u0323";
    // hooks/guongsang/text.py, second_vowel_tones: "hòa", "ủy" → "hoà", "uỷ"; not "quý", "của".
    // No lookbehind (Safari < 16.4 cannot parse it): the letter before is matched and put back.
    var FIRST_VOWEL_TONE = new RegExp(
      "(^|[^q])(o(?=[" + TONE + "][ae])|u(?=[" + TONE + "]y))([" + TONE + "])([aey])(?![a-z\\u0300-\\u036f])",
      "gi"
    );
    var TONE_MARK = new RegExp("[" + TONE + "]");

    function nfc(text) {
      return typeof text.normalize === "function" ? text.normalize("NFC") : text;
    }

    function secondVowelTones(text) {
      if (typeof text.normalize !== "function") return text;
      return text.normalize("NFD").replace(FIRST_VOWEL_TONE, "$1$2$4$3").normalize("NFC");
    }

    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
    }

    function normalizeQuery(query) {
      return secondVowelTones(nfc(query));
    }

    // A word with letters of its own but no tone mark ("đong", "Đông", "ơn"): the reader
    // may have skipped the tones, so it matches as if typed without diacritics.
    function toneless(term) {
      return fold(term) !== term.toLowerCase() && !TONE_MARK.test(term.normalize("NFD"));
    }

    function prepareQuery(query) {
      query = normalizeQuery(query);
      if (OPERATORS.test(query)) return query;
      return query.split(SEPARATOR).filter(Boolean).map(function (term) {
        if (STOP_WORDS[term.toLowerCase()]) return term;
        // Required folded, and as typed (optional) so that the word as typed ranks first.
        if (toneless(term)) return "+" + fold(term) + "* " + term;
        return "+" + term + "*";
      }).join(" ");
    }

    // -- 1. the index, on demand ------------------------------------------------

    var held = [];
    var released = false;

    function releaseIndex() {
      if (released) return;
      released = true;
      state.indexRequested = true;
      held.splice(0).forEach(function (send) { send(); });
    }

    function holdIndex(XHR) {
      if (!XHR || !XHR.prototype || XHR.prototype.gsHoldsIndex) return;
      var open = XHR.prototype.open;
      var send = XHR.prototype.send;
      XHR.prototype.open = function (method, url) {
        this.gsIndex = INDEX.test(String(url).split("#")[0]);
        return open.apply(this, arguments);
      };
      XHR.prototype.send = function () {
        var xhr = this;
        var args = arguments;
        if (xhr.gsIndex && !released) {
          held.push(function () { send.apply(xhr, args); });
          return undefined;
        }
        if (xhr.gsIndex) state.indexRequested = true;
        return send.apply(xhr, args);
      };
      XHR.prototype.gsHoldsIndex = true;
    }

    function watchSearchUse() {
      var params = new URLSearchParams(location.search);
      if (params.has("q") || params.has("h")) return releaseIndex();
      document.addEventListener("focusin", function (event) {
        if (event.target.matches && event.target.matches(".md-search__input")) releaseIndex();
      }, true);
      document.addEventListener("change", function (event) {
        if (event.target.matches && event.target.matches("[data-md-toggle=search]") && event.target.checked) releaseIndex();
      }, true);
      // A finger or pointer on the search button: start loading before the click.
      document.addEventListener("pointerdown", function (event) {
        if (event.target.closest && event.target.closest("label[for=__search], .md-search")) releaseIndex();
      }, true);
    }

    // -- 2. the queries -------------------------------------------------------------

    // What the tests (and a curious reader) can see: whether the index was asked for,
    // whether the worker is ready, and whether it has answered the last query.
    var state = { indexRequested: false, ready: false, query: null, pending: 0 };

    function patchWorker(Worker) {
      if (!Worker || !Worker.prototype || Worker.prototype.gsPreparesQueries) return;
      var postMessage = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message) {
        var args = Array.prototype.slice.call(arguments);
        if (!this.gsWatched && typeof this.addEventListener === "function") {
          this.gsWatched = true;
          this.addEventListener("message", function (event) {
            var type = event.data && event.data.type;
            if (type === READY) state.ready = true;
            if (type === RESULT) {
              state.pending = Math.max(0, state.pending - 1);
              if (!state.pending) try { highlightResults(); } catch (error) { /* Material's own marks stay */ }
            }
          });
        }
        if (message && message.type === QUERY && typeof message.data === "string") {
          try {
            args[0] = { type: QUERY, data: prepareQuery(message.data) };
            state.query = message.data;
            state.pending += 1;
          } catch (error) {
            args[0] = message;
          }
        }
        return postMessage.apply(this, args);
      };
      Worker.prototype.gsPreparesQueries = true;
    }

    // -- 3. highlighting --------------------------------------------------------

    // A word matches a term typed without diacritics when its folded form starts with
    // the term; one typed with them, when it does in the same tone placement.
    function matcher(query) {
      var terms = (normalizeQuery(query).match(WORD) || []).map(function (term) {
        var lower = term.toLowerCase();
        var plain = fold(lower) === lower || toneless(lower);
        return { key: plain ? fold(lower) : lower, plain: plain };
      });
      if (!terms.length) return null;
      return function (word) {
        var lower = word.toLowerCase();
        var folded = fold(lower);
        var retoned = secondVowelTones(lower);
        return terms.some(function (t) {
          return (t.plain ? folded : retoned).lastIndexOf(t.key, 0) === 0;
        });
      };
    }

    function markWords(root, matches) {
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          var parent = node.parentElement;
          return parent && !parent.closest("mark, script, style, code, pre")
            ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
        }
      });
      var nodes = [];
      for (var node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
      nodes.forEach(function (node) {
        var text = node.nodeValue;
        var parts = [];
        var last = 0;
        text.replace(WORD, function (word, offset) {
          if (matches(word)) {
            parts.push(document.createTextNode(text.slice(last, offset)));
            var mark = document.createElement("mark");
            mark.setAttribute("data-md-highlight", "");
            mark.setAttribute("data-gs-folded", "");
            mark.textContent = word;
            parts.push(mark);
            last = offset + word.length;
          }
          return word;
        });
        if (!parts.length) return;
        parts.push(document.createTextNode(text.slice(last)));
        var fragment = document.createDocumentFragment();
        parts.forEach(function (part) { if (part.nodeValue !== "") fragment.appendChild(part); });
        node.parentNode.replaceChild(fragment, node);
      });
    }

    function highlightResults() {
      var box = document.querySelector(".md-search__input");
      var list = document.querySelector(".md-search-result__list");
      var matches = box && list && matcher(box.value);
      if (!matches) return;
      list.querySelectorAll(".md-search-result__article").forEach(function (article) {
        markWords(article, matches);
      });
    }

    function onReady(fn) {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
      else fn();
    }

    onReady(function () {
      try {
        highlightLater();
      } catch (error) {
        if (window.console) window.console.warn("search-fold.js:", error);
      }
    });

    function highlightLater() {
      // Material renders ten results, then more as the list scrolls.
      var list = document.querySelector(".md-search-result__list");
      if (list && typeof MutationObserver === "function") {
        var scheduled = false;
        new MutationObserver(function () {
          if (scheduled) return;
          scheduled = true;
          requestAnimationFrame(function () { scheduled = false; highlightResults(); });
        }).observe(list, { childList: true });
      }
      var h = new URLSearchParams(location.search).get("h");
      var content = document.querySelector("[data-md-component=content] .md-typeset, article.md-content__inner");
      var matches = h && content && matcher(h);
      // After Material's own ?h= highlighting, which waits for the index.
      if (matches) setTimeout(function () { markWords(content, matches); }, 0);
    }

    // On file:// Material swaps in an iframe shim for Worker; patch whichever is in use.
    patchWorker(window.Worker);
    holdIndex(window.XMLHttpRequest);
    watchSearchUse();
    window.guongsangSearch = {
      normalizeQuery: normalizeQuery,
      prepareQuery: prepareQuery,
      state: state,
      loadIndex: releaseIndex
    };
  } catch (error) {
    letGo(error);
  }
})();
