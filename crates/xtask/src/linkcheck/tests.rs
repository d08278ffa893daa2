//! Tests of the link checker on a tiny book written to a temporary dir.

use std::path::Path;

use anyhow::{Result, bail};

use super::{check, html};

/// A fresh dir under the system's temp dir, removed when dropped.
struct TempBook(tempfile::TempDir);

impl TempBook {
    fn new(label: &str) -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("xtask-linkcheck-{label}-"))
            .tempdir()?;
        Ok(TempBook(dir))
    }

    fn write(&self, path: &str, text: &str) -> Result<()> {
        let path = self.0.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
        Ok(())
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

const CHAPTER: &str = r##"<html><body><main>
<h1 id="intro">Intro</h1><a name="old-anchor"></a>
<a href="index.html#top">back</a> <a href="#intro">self</a>
</main></body></html>"##;

fn good_book(label: &str) -> Result<TempBook> {
    let book = TempBook::new(label)?;
    book.write(
        "index.html",
        r##"<!DOCTYPE html><html><head>
<link rel="stylesheet" href="css/book.css">
<script src="book.js"></script>
<script>var a = document.createElement('a'); a.href="gone.html";
x = '<a href="gone.html">';</script>
</head><body id="top">
<!-- <a href="commented-out.html"> -->
<a href="ch01-sequential.html">one</a>
<a href='ch01-sequential.html#intro'>intro</a>
<a href=ch01-sequential.html#old-anchor>old</a>
<a href="ch01-sequential.html?highlight=fib#intro">search hit</a>
<a href="#top">top</a> <a href="#">nothing</a> <a href="">self</a>
<a href="https://www.rust-lang.org/">rust</a>
<a href="mailto:someone@example.org">mail</a>
<a href="javascript:void(0)">js</a> <img src="data:image/png;base64,AAAA">
<img src="figures/ch01%20speedup.svg" alt="speedup">
<a href="appendix/">appendix</a>
<a href="./appendix/../ch01-sequential.html">dots</a>
</body></html>"##,
    )?;
    book.write("ch01-sequential.html", CHAPTER)?;
    book.write("css/book.css", "body {}")?;
    book.write("book.js", "")?;
    book.write("figures/ch01 speedup.svg", "<svg></svg>")?;
    book.write(
        "appendix/index.html",
        r#"<a href="../index.html#top">up</a>"#,
    )?;
    book.write(
        "FontAwesome/fonts/readme.html",
        r#"<a href="nowhere.html">x</a>"#,
    )?;
    Ok(book)
}

/// The good book with one more page, `path`, holding `html`, checked.
fn check_with(label: &str, path: &str, html: &str) -> Result<usize> {
    let book = good_book(label)?;
    book.write(path, html)?;
    check(book.path())
}

/// A page of the book whose every link is broken in its own way.
const BROKEN: &str = r##"<a href="../ch02-threads.html">missing page</a>
<a href="../ch01-sequential.html#nowhere">missing anchor</a>
<a href="#not-here">missing local anchor</a>
<img src="../figures/ch02.svg">
<a href="../../outside.html">outside</a>"##;

#[test]
fn a_book_whose_links_resolve_passes() -> Result<()> {
    let book = good_book("good")?;
    let pages = check(book.path())?;
    assert_eq!(pages, 3, "index, chapter and appendix; FontAwesome skipped");
    Ok(())
}

#[test]
fn every_broken_link_is_reported() -> Result<()> {
    let Err(err) = check_with("broken", "appendix/notes.html", BROKEN) else {
        bail!("the checker passed a book with broken links");
    };
    let report = format!("{err:#}");
    assert!(report.starts_with("5 broken links"), "{report}");
    for link in [
        "appendix/notes.html: ../ch02-threads.html (no such file)",
        "appendix/notes.html: ../ch01-sequential.html#nowhere (no id",
        "appendix/notes.html: #not-here (no id",
        "appendix/notes.html: ../figures/ch02.svg (no such file)",
        "appendix/notes.html: ../../outside.html (points outside the book)",
    ] {
        assert!(report.contains(link), "missing {link:?} in:\n{report}");
    }
    Ok(())
}

#[test]
fn base_href_root_resolves_against_the_book() -> Result<()> {
    let page =
        r#"<head><base href="/"></head><a href="ch01-sequential.html#intro">x</a>"#;
    check_with("base", "sub/404.html", page)?;
    Ok(())
}

#[test]
fn parser_reads_quotes_entities_and_skips_scripts() {
    let page = html::parse(
        r#"<a class=x href='a.html?x=1&amp;y=2' id="top"><img
 src = "b c.svg"><script>s.href="nope"</script><style>a{}</style><p name=n>"#,
    );
    assert_eq!(page.links, ["a.html?x=1&y=2", "b c.svg"]);
    assert_eq!(page.anchors, ["top", "n"]);
    assert_eq!(page.base, None);
}

#[test]
fn percent_escapes_decode() {
    assert_eq!(
        html::percent_decode("ch01%20speedup.svg"),
        "ch01 speedup.svg"
    );
    assert_eq!(html::percent_decode("100%"), "100%");
    assert_eq!(html::percent_decode("%zz"), "%zz");
}
