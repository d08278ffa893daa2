// The language switch (issue 17): a link in the menu bar to the same page
// in the other edition — English at the book's root, Chinese under zh-CN/.
// No request leaves the page; it works over http:// and file:// alike.
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
