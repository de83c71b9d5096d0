/* Search normaliser: page text and queries meet in one form, so readers find words typed with another
   keyboard's letters, without diacritics or vowel signs, or in the other English spelling.
   One file for the search worker (built into each language's lunr plugin), the German fallback on the
   page and the unit tests (node). Results still show the original text: only index terms are folded.

   Arabic script (ar, fa, ps): tashkeel, Quranic marks and tatweel removed; alef forms (أ إ آ ٱ) -> ا;
   Arabic and Persian kaf (ك ک) and yeh (ي ی ى) one form; teh marbuta and heh forms (ة ۀ ہ) -> ه;
   hamza on waw (ؤ) -> و; Arabic-Indic and Persian digits -> ASCII. Pashto letters stay distinct (ټ ډ ړ
   ښ ږ ځ څ ې ۍ): they distinguish words; only Pashto ګ and Persian گ are one (same letter, two keyboards).
   ZWNJ (Persian half-space) is indexed both as no space and as a space.
   Latin and Cyrillic: lower case (Turkish dotless/dotted i included), diacritics folded (î ê ş ı ğ ç é),
   German ä ö ü ß also matched by ae oe ue ss, ё -> е. English: British spellings -> American. */
(function (root) {
  "use strict";

  var ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
  var MAP = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  // alef forms
    "\u0643": "\u06A9",                                                               // Arabic kaf -> keheh
    "\u064A": "\u06CC", "\u0649": "\u06CC",                                           // yeh, alef maksura
    "\u0629": "\u0647", "\u06C0": "\u0647", "\u06C1": "\u0647",                       // teh marbuta, heh forms
    "\u0624": "\u0648",                                                               // hamza on waw
    "\u06AB": "\u06AF",                                                               // Pashto gaf -> gaf
    "\u0131": "i", "\u0130": "i", "\u0451": "\u0435", "\u0401": "\u0435", "\u00DF": "ss"
  };
  var MAPPED = /[\u0623\u0625\u0622\u0671\u0643\u064A\u0649\u0629\u06C0\u06C1\u0624\u06AB\u0131\u0130\u0451\u0401\u00DF]/g;
  var ZWNJ = /\u200C/g;
  var INVISIBLE = /[\u200B\u200D\u200E\u200F\u2060\u061C\uFEFF\u00AD]/g;
  var GERMAN_PAIRS = /ae|oe|ue/g;
  var BRITISH = [
    [/ll(ing|ed|or|ors)$/, "l$1"], [/our(s|ed|ing|able)?$/, "or$1"], [/tre(s)?$/, "ter$1"],
    [/is(e|es|ed|ing|ation|ations)$/, "iz$1"], [/ence$/, "ense"], [/ogue(s)?$/, "og$1"], [/amme(s)?$/, "am$1"]
  ];
  // British spellings of this site's words only: a general rule would fold unrelated words together
  var BRITISH_WORDS = /^(counsel|travel|cancel|label|model|fuel|signal)l(ing|ed|or|ors)$|^(behavio|colo|favo|honou?|labo|neighbo|harbo|rumo|humo|saviou?)ur(s|ed|ing|able|hood|hoods)?$|^(cent|theat|met|lit|fib)re(s)?$|^(organ|recogn|real|apolog|special|author|priorit|emphas|minim|maxim|categor|util|stabil|final|normal|summar|critic)is(e|es|ed|ing|ation|ations)$|^(licen|defen|offen|preten)ce(s)?$|^(catalog|dialog|analog|prolog)ue(s)?$|^programme(s)?$|^practis(e|es|ed|ing)$|^enrol(s)?$|^fulfil(s)?$/;

  function digits(text) {
    return text.replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x660); })
               .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x6F0); });
  }

  function americanize(word) {
    if (!BRITISH_WORDS.test(word)) return word;
    if (/^programme(s)?$/.test(word)) return word.replace("programme", "program");
    if (/^practis/.test(word)) return word.replace("practis", "practic");
    if (/^(enrol|fulfil)(s)?$/.test(word)) return word.replace(/^(enrol|fulfil)/, "$1l");
    if (/ence(s)?$/.test(word) || /ce(s)?$/.test(word)) return word.replace(/ce(s)?$/, "se$1");
    for (var i = 0; i < BRITISH.length; i++) {
      if (BRITISH[i][0].test(word)) return word.replace(BRITISH[i][0], BRITISH[i][1]);
    }
    return word;
  }

  /* One word (already split by the search separator) in the folded form; `lang` is the page language. */
  function fold(word, lang) {
    var text = digits(String(word)).replace(INVISIBLE, "");
    text = text.toLowerCase().replace(MAPPED, function (c) { return MAP[c]; }).replace(ARABIC_MARKS, "");
    // Latin and Cyrillic diacritics (é ê î ş ç ğ й -> и is avoided: only Latin letters lose their marks)
    text = text.normalize("NFD").replace(/([a-z])[\u0300-\u036f]+/g, "$1").normalize("NFC");
    if (lang === "de") text = text.replace(GERMAN_PAIRS, function (p) { return p.charAt(0); });
    if (lang === "en") text = americanize(text);
    return text;
  }

  /* The index terms for one word: with a Persian half-space, the joined word and each part. */
  function terms(word, lang) {
    var value = String(word);
    if (value.indexOf("\u200C") < 0) return [fold(value, lang)];
    var out = [fold(value.replace(ZWNJ, ""), lang)];
    value.split(ZWNJ).forEach(function (part) { if (part) out.push(fold(part, lang)); });
    return out;
  }

  /* A lunr pipeline function for `lang` (registered under a unique name so lunr can serialise it). */
  function pipelineFunction(lunr, lang) {
    var fn = function (token) {
      var words = terms(token.toString(), lang);
      if (words.length === 1) return token.update(function () { return words[0]; });
      return words.map(function (w) { return token.clone(function () { return w; }); });
    };
    lunr.Pipeline.registerFunction(fn, "siteNormalize_" + lang);
    return fn;
  }

  root.siteSearch = { fold: fold, terms: terms, pipelineFunction: pipelineFunction };
  if (typeof module !== "undefined" && module.exports) module.exports = root.siteSearch;
})(typeof self !== "undefined" ? self : this);
