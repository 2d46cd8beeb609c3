// Sphinx's scorer (html_search_scorer), with one change: a page or section whose title shares
// a long prefix with a searched word ranks first. Sphinx stems "standardize" and "standard" alike,
// so without this "The standard tool" ties with "Standardization" and wins alphabetically.
var Scorer = {
  score: result => {
    const [docname, title, anchor, descr, score, filename] = result;
    const words = (new URLSearchParams(window.location.search).get("q") || "")
      .toLowerCase().split(/\s+/).filter(word => word.length >= 6);
    const titleWords = title.toLowerCase().split(/[^a-z0-9]+/);
    const shares = (word, other) => {
      let n = 0;
      while (n < word.length && word[n] === other[n]) n++;
      return n >= word.length - 2 && n >= 6;
    };
    return words.some(word => titleWords.some(other => shares(word, other))) ? score + 20 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {0: 15, 1: 5, 2: -5},
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
