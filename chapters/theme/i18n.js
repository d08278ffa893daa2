// The two editions (issue 17). No request leaves the page; it works over
// http:// and file:// alike.
//
// 1. Search in Chinese. mdBook's index keeps only words of Latin letters
// and digits (elasticlunr's English trimmer), so no Chinese word is in it.
// A query with Chinese characters is instead looked up as a substring of
// each section's title and text (both kept in the index's document store);
// a title match counts double. Other queries go to the index as before.
// Runs before the index loads (on the first search), in both editions.
(function () {
    "use strict";
    if (typeof elasticlunr === "undefined") {
        return;
    }
    const han = /[\u3400-\u9fff\uf900-\ufaff]/;
    const indexed = elasticlunr.Index.prototype.search;
    elasticlunr.Index.prototype.search = function (query, config) {
        if (!han.test(query)) {
            return indexed.call(this, query, config);
        }
        const terms = query.toLowerCase().split(/\s+/).filter((t) => t);
        const count = (text, term) => text.toLowerCase().split(term).length - 1;
        const results = [];
        for (const [ref, doc] of Object.entries(this.documentStore.docs)) {
            const score = terms.reduce(
                (sum, t) => sum + 2 * count(doc.title || "", t) + count(doc.body || "", t),
                0,
            );
            if (score > 0) {
                // mdBook's teaser counts words between spaces, which Chinese
                // has few of: show the text around the first hit instead.
                const body = doc.body || "";
                const hits = terms.map((t) => body.toLowerCase().indexOf(t)).filter((i) => i >= 0);
                const at = hits.length ? Math.max(0, Math.min(...hits) - 30) : 0;
                const teaser = body.slice(at, at + 100);
                results.push({ ref, score, doc: Object.assign({}, doc, { body: teaser }) });
            }
        }
        return results.sort((a, b) => b.score - a.score);
    };
})();

// 2. The language switch: a link in the menu bar to the same page in the
// other edition — English at the book's root, Chinese under zh-CN/.
(function () {
    "use strict";
    const buttons = document.querySelector(".right-buttons");
    if (!buttons || typeof path_to_root !== "string") {
        return;
    }
    const chinese = document.documentElement.lang === "zh-CN";
    // The page's path inside its book: as many trailing segments of the
    // URL as the page is deep (path_to_root is "../" once per level).
    const depth = path_to_root.split("/").filter((s) => s === "..").length;
    const segments = window.location.pathname.split("/");
    if (segments[segments.length - 1] === "") {
        segments[segments.length - 1] = "index.html";
    }
    const page = segments.slice(-(depth + 1)).join("/");
    const link = document.createElement("a");
    link.className = "lang-switch";
    link.href = path_to_root + (chinese ? "../" : "zh-CN/") + page;
    link.textContent = chinese ? "English" : "中文";
    link.title = chinese ? "Read this page in English" : "阅读本页的中文版";
    link.lang = chinese ? "en" : "zh-CN";
    link.hreflang = link.lang;
    buttons.insertBefore(link, buttons.firstChild);
})();
