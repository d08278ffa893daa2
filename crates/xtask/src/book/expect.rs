//! What each page must show in the browser: math where its source has math,
//! diagrams where it has mermaid blocks. Read from the staged Markdown
//! (includes followed) and written to `<stage>/expect.json` for the browser
//! test: `{"ch03-parallelism.html": {"math": 0, "mermaid": 0}, …}`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::json;

/// Scan every page under `<stage>/chapters/` and write `<stage>/expect.json`.
pub fn write(stage: &Path) -> Result<()> {
    let src = stage.join("chapters");
    let mut pages = Vec::new();
    markdown_files(&src, &mut pages)?;
    let mut expect = BTreeMap::new();
    for page in pages {
        let relative = page.strip_prefix(&src)?.with_extension("html");
        let (math, mermaid) = scan(&page, 0)?;
        let key = relative.to_string_lossy().replace('\\', "/");
        expect.insert(key, json!({"math": math, "mermaid": mermaid}));
    }
    let path = stage.join("expect.json");
    std::fs::write(&path, serde_json::to_string_pretty(&expect)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// (math expressions, mermaid blocks) in `page` and the Markdown it includes.
pub fn scan(page: &Path, depth: usize) -> Result<(usize, usize)> {
    let text = std::fs::read_to_string(page)
        .with_context(|| format!("reading {}", page.display()))?;
    let dir = page.parent().unwrap_or(Path::new("."));
    let (mut math, mut mermaid) = (0, 0);
    let mut fence: Option<String> = None;
    let mut in_display = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) && trimmed.trim_end() == open {
                fence = None;
            }
            continue;
        }
        let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
        if ticks >= 3 {
            mermaid += usize::from(trimmed[ticks..].trim() == "mermaid");
            fence = Some("`".repeat(ticks));
            continue;
        }
        if let Some(target) = included_markdown(trimmed) {
            // A missing file is mdBook's to report; it shows no math.
            let target = dir.join(target);
            if depth < 8 && target.is_file() {
                let (m, d) = scan(&target, depth + 1)?;
                math += m;
                mermaid += d;
            }
            continue;
        }
        if trimmed.trim_end() == "$$" {
            // Display math over several lines: count it where it opens.
            math += usize::from(!in_display);
            in_display = !in_display;
            continue;
        }
        if !in_display {
            math += math_in_line(line);
        }
    }
    Ok((math, mermaid))
}

/// `{{#include FILE.md}}` (with or without an anchor): `FILE.md`.
fn included_markdown(line: &str) -> Option<&str> {
    let inner = line.strip_prefix("{{#include ")?.strip_suffix("}}")?.trim();
    let file = inner.split(':').next()?;
    file.ends_with(".md").then_some(file)
}

/// How many `$…$` or `$$…$$` spans a line of prose holds (code spans and
/// escaped `\$` aside): a `$` followed by a non-space, closed by a `$`
/// that follows a non-space.
pub fn math_in_line(line: &str) -> usize {
    let mut prose = String::new();
    let mut in_code = false;
    let mut previous = ' ';
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            prose.push(if c == '$' && previous == '\\' { ' ' } else { c });
        }
        previous = c;
    }
    let mut count = 0;
    let mut rest = prose.as_str();
    while let Some(open) = rest.find('$') {
        let after = rest[open..].trim_start_matches('$');
        let delimiter = rest[open..].len() - after.len();
        if (after.starts_with(char::is_whitespace) && delimiter == 1)
            || after.is_empty()
        {
            rest = after;
            continue;
        }
        match after.find('$') {
            Some(close)
                if delimiter > 1
                    || !after[..close].ends_with(char::is_whitespace) =>
            {
                count += 1;
                rest = after[close..].trim_start_matches('$');
            }
            _ => break,
        }
    }
    count
}

fn markdown_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            markdown_files(&path, found)?;
        } else if path.extension().is_some_and(|ext| ext == "md")
            && path.file_name().is_some_and(|name| name != "SUMMARY.md")
        {
            found.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{math_in_line, scan};

    #[test]
    fn finds_inline_and_display_math() {
        assert_eq!(math_in_line(r"speed-up $S = T_1 / T_p$ and $E = S/p$"), 2);
        assert_eq!(math_in_line(r"$$ S(p) = \frac{1}{(1-f) + f/p} $$"), 1);
    }

    #[test]
    fn counts_display_math_over_lines_and_mermaid_in_includes() -> anyhow::Result<()>
    {
        let scratch = tempfile::Builder::new().prefix("xtask-expect-").tempdir()?;
        let dir = scratch.path();
        std::fs::create_dir_all(dir.join("diagrams"))?;
        let page = dir.join("page.md");
        let text = "# Page\n\n$$\nS_p = T_1 / T_p\n$$\n\n```rust\nlet x = \"$a$\";\n```\n\n\
                    {{#include diagrams/flow.md}}\n{{#include missing.md}}\n";
        std::fs::write(&page, text)?;
        std::fs::write(
            dir.join("diagrams/flow.md"),
            "```mermaid\nflowchart LR\n  a --> b\n```\n",
        )?;
        let found = scan(&page, 0);
        scratch.close()?;
        assert_eq!(found?, (1, 1));
        Ok(())
    }

    #[test]
    fn ignores_dollars_that_are_not_math() {
        assert_eq!(math_in_line("it costs $ 5 and $ 6"), 0);
        assert_eq!(math_in_line(r"an escaped \$5 and \$6"), 0);
        assert_eq!(math_in_line("run `echo $HOME $PATH` first"), 0);
        assert_eq!(math_in_line("a lone $"), 0);
    }
}
