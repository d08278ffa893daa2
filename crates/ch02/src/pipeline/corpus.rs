//! Chapter 2 · The input of the grep pipeline: a text generated from a
//! fixed seed with the shape of the book's input (*War and Peace*: 65,007
//! lines, about 3.3 MB), since the novel itself is not shipped.
//!
//! The words `love`, `hate` and `hope` appear on exactly as many lines as
//! the book reports for the novel (677, 103, 158), at most once per line
//! and never inside another word, so `grep -ic WORD` and
//! `grep -io WORD | wc -l` agree with the pipeline. It is written under
//! `target/`, never committed.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// Lines in the corpus, as in the book's input.
pub const LINES: usize = 65_007;

/// The words planted, and on how many lines each appears.
pub const PLANTED: [(&str, usize); 3] =
    [("love", 677), ("hate", 103), ("hope", 158)];

const SEED: u64 = 0x5EED_2016_0000_0002;

/// Filler words: none contains `love`, `hate` or `hope`.
const WORDS: &[&str] = &[
    "the", "and", "of", "to", "a", "in", "he", "that", "his", "was", "with", "had",
    "it", "her", "him", "not", "at", "she", "for", "on", "but", "is", "as", "said",
    "by", "you", "all", "be", "from", "this", "they", "were", "so", "what", "which",
    "prince", "princess", "count", "countess", "general", "army", "soldier",
    "officer", "horse", "road", "village", "moscow", "river", "bridge", "battle",
    "peace", "war", "winter", "snow", "fire", "night", "morning", "evening",
    "letter", "room", "door", "window", "table", "drawing", "face", "eyes", "hand",
    "voice", "smile", "tears", "heart", "life", "death", "time", "day", "years",
    "old", "young", "little", "great", "long", "same", "again", "still", "only",
    "now", "then", "there", "here", "when", "where", "how", "who", "whom", "very",
    "quite", "suddenly", "quietly", "went", "came", "looked", "thought", "knew",
    "felt", "seemed", "began", "answered", "asked", "replied", "cried", "turned",
    "father", "mother", "son", "daughter", "sister", "brother", "wife", "husband",
    "friend", "emperor", "staff", "guard", "regiment", "cannon", "smoke", "field",
    "forest", "house", "garden", "ball", "dance", "music", "dinner", "wine",
];

/// A small, fast, seeded generator (xorshift64*): the same seed gives the
/// same corpus on every machine.
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        XorShift(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Which planted word (index into [`PLANTED`]) goes on each line, if any.
fn plan(rng: &mut XorShift) -> Vec<Option<usize>> {
    let mut lines: Vec<usize> = (0..LINES).collect();
    for i in (1..LINES).rev() {
        lines.swap(i, rng.below(i + 1)); // Fisher–Yates shuffle
    }
    let mut plan = vec![None; LINES];
    let mut chosen = lines.into_iter();
    for (word, (_, count)) in PLANTED.iter().enumerate() {
        for line in chosen.by_ref().take(*count) {
            plan[line] = Some(word);
        }
    }
    plan
}

/// The corpus text (deterministic: same bytes on every call).
pub fn generate() -> String {
    let mut rng = XorShift::new(SEED);
    let plan = plan(&mut rng);
    let mut text = String::with_capacity(3_400_000);
    for planted in plan {
        let blank = planted.is_none() && rng.below(8) == 0;
        let words = if blank { 0 } else { 6 + rng.below(9) };
        let slot = planted.map(|_| rng.below(words));
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            let word = match (slot == Some(i), planted) {
                (true, Some(p)) => PLANTED[p].0,
                _ => WORDS[rng.below(WORDS.len())],
            };
            if i == 0 || rng.below(12) == 0 {
                capitalised(&mut text, word);
            } else {
                text.push_str(word);
            }
        }
        if words > 0 && rng.below(3) == 0 {
            text.push(if rng.below(4) == 0 { ';' } else { ',' });
        }
        text.push('\n');
    }
    text
}

fn capitalised(text: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        text.extend(first.to_uppercase());
        text.push_str(chars.as_str());
    }
}

/// The corpus file under the target directory, written if missing or
/// stale. Concurrent callers each write a temporary file and rename it
/// into place, so nobody reads a half-written corpus.
pub fn ensure() -> Result<PathBuf> {
    let path = workbench::bins::target_dir()
        .join("ch02")
        .join("corpus.txt");
    let text = generate();
    let fresh = std::fs::metadata(&path).is_ok_and(|m| m.len() == text.len() as u64);
    if !fresh {
        let dir = path.parent().context("the corpus path has a directory")?;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        let temp = dir.join(format!("corpus.txt.{}", std::process::id()));
        std::fs::write(&temp, &text)
            .with_context(|| format!("writing {}", temp.display()))?;
        std::fs::rename(&temp, &path)
            .with_context(|| format!("moving the corpus to {}", path.display()))?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_has_the_books_shape_and_planted_counts() {
        let text = generate();
        assert_eq!(text.lines().count(), LINES);
        let mb = text.len() as f64 / 1e6;
        assert!((3.2..3.4).contains(&mb), "{mb} MB");
        for (word, count) in PLANTED {
            let lines = text
                .lines()
                .filter(|l| l.to_lowercase().contains(word))
                .count();
            assert_eq!(lines, count, "{word}");
        }
        assert_eq!(generate(), text, "deterministic");
    }

    #[test]
    fn no_filler_word_hides_a_planted_word() {
        for filler in WORDS {
            for (word, _) in PLANTED {
                assert!(!filler.contains(word), "{filler} contains {word}");
            }
        }
    }
}
