//! Chapter 2 · Coroutines: a consumer that is sent values (the book's
//! `coroutines.py`), written three ways.
//!
//! The book's coroutine is primed, then `send(text)` complains when the
//! text contains a word, and `close()` makes it say goodbye. In Rust: a
//! struct with a `send` method and a `Drop` (no priming needed: `new` is
//! the priming); a thread reading a channel; an async task reading an
//! async channel. Closing is dropping the sender in the last two.

pub mod generators;
pub mod iteration;

use std::io::Write;
use std::sync::mpsc;

/// What the consumer says when it starts, complains and stops.
pub fn greeting(word: &str) -> String {
    format!("listening for '{word}'")
}
pub fn complaint(word: &str) -> String {
    format!("'{word}' again? I asked you not to say that!")
}
pub const GOODBYE: &str = "closed: no more complaints";

// ANCHOR: struct
/// The consumer as a plain struct: `send` is Python's `send`, dropping it
/// is `close()`, and `Drop` runs the clean-up the book puts in `finally`.
#[derive(Debug)]
pub struct Complainer<W: Write> {
    word: String,
    out: W,
}

impl<W: Write> Complainer<W> {
    pub fn new(word: &str, mut out: W) -> std::io::Result<Self> {
        writeln!(out, "{}", greeting(word))?;
        Ok(Complainer {
            word: word.to_owned(),
            out,
        })
    }

    pub fn send(&mut self, text: &str) -> std::io::Result<()> {
        if text.contains(&self.word) {
            writeln!(self.out, "{}", complaint(&self.word))?;
        }
        Ok(())
    }
}

impl<W: Write> Drop for Complainer<W> {
    fn drop(&mut self) {
        let _ = writeln!(self.out, "{GOODBYE}");
    }
}
// ANCHOR_END: struct

// ANCHOR: thread
/// The consumer as a thread reading a channel: sending is `send`, and
/// dropping the last sender ends the loop, like `close()`. It returns what
/// it said.
pub fn complain_on_thread(
    word: &str,
) -> (mpsc::Sender<String>, std::thread::JoinHandle<Vec<String>>) {
    let (send, texts) = mpsc::channel::<String>();
    let word = word.to_owned();
    let handle = std::thread::spawn(move || {
        let mut said = vec![greeting(&word)];
        for text in texts {
            if text.contains(&word) {
                said.push(complaint(&word));
            }
        }
        said.push(GOODBYE.into()); // the channel closed
        said
    });
    (send, handle)
}
// ANCHOR_END: thread

// ANCHOR: async
/// The consumer as an async task reading an async channel: between texts
/// it is suspended at `.await`, costing no thread.
pub async fn complain_async(
    word: String,
    mut texts: tokio::sync::mpsc::Receiver<String>,
) -> Vec<String> {
    let mut said = vec![greeting(&word)];
    while let Some(text) = texts.recv().await {
        if text.contains(&word) {
            said.push(complaint(&word));
        }
    }
    said.push(GOODBYE.into());
    said
}
// ANCHOR_END: async

/// What `ch02 coroutines` prints: the three forms fed the same texts.
pub fn demo(word: &str, texts: &[&str], mut out: impl Write) -> anyhow::Result<()> {
    writeln!(out, "struct with send() and Drop:")?;
    {
        let mut complainer = Complainer::new(word, &mut out)?;
        for text in texts {
            complainer.send(text)?;
        }
    } // dropped here: close()
    writeln!(out, "thread reading a channel:")?;
    let (send, handle) = complain_on_thread(word);
    for text in texts {
        send.send(text.to_string())?;
    }
    drop(send);
    let said = handle
        .join()
        .map_err(|_| anyhow::anyhow!("the consumer panicked"))?;
    for line in said {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "async task reading an async channel:")?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let said = runtime.block_on(async {
        let (send, receive) = tokio::sync::mpsc::channel(8);
        let task = tokio::spawn(complain_async(word.to_owned(), receive));
        for text in texts {
            send.send(text.to_string()).await?;
        }
        drop(send);
        anyhow::Ok(task.await?)
    })?;
    for line in said {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 3] = ["I love you", "Rust is great", "love and hate"];

    #[test]
    fn every_form_complains_twice_and_says_goodbye() {
        let expected = vec![
            greeting("love"),
            complaint("love"),
            complaint("love"),
            GOODBYE.to_string(),
        ];
        let mut out = Vec::new();
        {
            let mut complainer = Complainer::new("love", &mut out).expect("starts");
            for text in TEXTS {
                complainer.send(text).expect("sends");
            }
        }
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text.lines().collect::<Vec<_>>(), expected);

        let (send, handle) = complain_on_thread("love");
        for text in TEXTS {
            send.send(text.into()).expect("sends");
        }
        drop(send);
        assert_eq!(handle.join().expect("joins"), expected);

        let mut all = Vec::new();
        demo("love", &TEXTS, &mut all).expect("demo");
        let all = String::from_utf8(all).expect("utf-8");
        assert_eq!(all.matches(GOODBYE).count(), 3, "{all}");
        assert_eq!(all.matches("again?").count(), 6, "{all}");
    }
}
