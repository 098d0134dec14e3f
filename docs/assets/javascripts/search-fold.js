/* Gương Sáng: search with or without diacritics, inside Material's own search.
 *
 * The build adds to each entry of search/search_index.json the folded form of
 * its words ("Làm theo Bác" → "lam bac"; hooks/guongsang/search.py). A word
 * typed without diacritics ("lam theo bac", "dong lac") finds those; a word
 * typed with diacritics finds only itself, so exact matches come first and
 * are not buried under every "bắc", "bạc" or "hộ".
 *
 * What is left for the browser: the index is NFC, but a keyboard or a pasted
 * text may send NFD ("a" + U+0300), which would match nothing. Material reads
 * the query in several places (typing, focus, ?q= links) and hands it to its
 * search worker as a QUERY message; normalising that one message covers them
 * all and never touches what the reader sees in the search box.
 */
(function () {
  "use strict";

  // Material's worker protocol: SETUP = 0, READY = 1, QUERY = 2, RESULT = 3.
  var QUERY = 2;

  function normalizeQuery(query) {
    return typeof query.normalize === "function" ? query.normalize("NFC") : query;
  }

  function patchWorker(Worker) {
    if (!Worker || !Worker.prototype || Worker.prototype.gsNormalizesQueries) {
      return;
    }
    var postMessage = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments);
      if (message && message.type === QUERY && typeof message.data === "string") {
        args[0] = { type: QUERY, data: normalizeQuery(message.data) };
      }
      return postMessage.apply(this, args);
    };
    Worker.prototype.gsNormalizesQueries = true;
  }

  // On file:// Material swaps in an iframe shim for Worker; patch whichever is in use.
  patchWorker(window.Worker);
  window.guongsangSearch = { normalizeQuery: normalizeQuery };
})();
