//! Chapter 7 · Solutions to the chapter's exercises (tested below).

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Context, Result};
use turmoil::net::UdpSocket;

use crate::checkpoint::{State, temp_path};
use crate::simulate::hosts::{PORT, reply_to, transcribe};
use crate::simulate::simulation::{Outcome, Scenario};

// ANCHOR: vector
/// Exercise 1: a vector clock — one counter per process. Unlike a Lamport
/// stamp, comparing two of them also tells when neither event could have
/// caused the other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VectorClock(pub Vec<u64>);

impl VectorClock {
    pub fn new(processes: usize) -> Self {
        VectorClock(vec![0; processes])
    }

    /// A local event or a send by process `me`: the stamp to log.
    pub fn tick(&mut self, me: usize) -> VectorClock {
        self.0[me] += 1;
        self.clone()
    }

    /// Process `me` receives a message stamped `sent`.
    pub fn receive(&mut self, me: usize, sent: &VectorClock) -> VectorClock {
        for (mine, theirs) in self.0.iter_mut().zip(&sent.0) {
            *mine = (*mine).max(*theirs);
        }
        self.tick(me)
    }

    /// `self` happened before `other`: no entry later, and not equal.
    pub fn happened_before(&self, other: &VectorClock) -> bool {
        self != other && self.0.iter().zip(&other.0).all(|(a, b)| a <= b)
    }

    /// Neither happened before the other.
    pub fn concurrent(&self, other: &VectorClock) -> bool {
        self != other && !self.happened_before(other) && !other.happened_before(self)
    }
}
// ANCHOR_END: vector

// ANCHOR: backoff
/// Exercise 2: during a long partition, a fixed time-out sends a request
/// every 100 ms into the void. Double the wait after every unanswered
/// attempt (up to 1.6 s) and start again at 100 ms after an answer.
pub async fn backoff_client(
    scenario: Scenario,
    log: Rc<RefCell<Outcome>>,
) -> turmoil::Result {
    let socket = UdpSocket::bind((IpAddr::V4(Ipv4Addr::UNSPECIFIED), PORT)).await?;
    for k in 1..=scenario.requests {
        let mut wait = scenario.timeout;
        let mut answered = 0;
        for attempt in 1..=scenario.max_attempts {
            socket
                .send_to(k.to_string().as_bytes(), ("rates", PORT))
                .await?;
            let deadline = tokio::time::Instant::now() + wait;
            if let Some(reply) = reply_to(&socket, k, deadline).await? {
                transcribe(
                    &log,
                    format!("request {k}: {reply} (attempt {attempt})"),
                );
                answered = attempt;
                break;
            }
            transcribe(
                &log,
                format!("request {k}: nothing in {wait:?} (attempt {attempt})"),
            );
            wait = (wait * 2).min(Duration::from_millis(1600));
        }
        log.borrow_mut().attempts.push(answered);
    }
    Ok(())
}
// ANCHOR_END: backoff

// ANCHOR: crash_before_rename
/// Exercise 3: what a crash between writing the temporary file and the
/// rename leaves behind: a complete new file beside the untouched old one.
pub fn crash_before_rename(path: &Path, state: &State) -> Result<()> {
    let temp = temp_path(path);
    let text = serde_json::to_string(state)?;
    std::fs::write(&temp, text)
        .with_context(|| format!("writing {}", temp.display()))
    // ... and the process dies here, before `rename`.
}
// ANCHOR_END: crash_before_rename

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::{load, save};
    use crate::simulate::simulation::simulate_with;
    use workbench::services::TempDir;

    #[test]
    fn vector_clocks_tell_causes_from_coincidences() {
        // client = 0, worker A = 1, worker B = 2
        let (mut client, mut a, mut b) = (
            VectorClock::new(3),
            VectorClock::new(3),
            VectorClock::new(3),
        );
        let to_a = client.tick(0);
        let to_b = client.tick(0);
        let a_got = a.receive(1, &to_a);
        let b_got = b.receive(2, &to_b);
        assert!(to_a.happened_before(&a_got) && to_b.happened_before(&b_got));
        assert!(a_got.concurrent(&b_got), "{a_got:?} vs {b_got:?}");
        let a_reply = a.tick(1);
        let merged = client.receive(0, &a_reply);
        assert!(a_got.happened_before(&merged));
        assert!(
            b_got.concurrent(&merged),
            "B's work is unknown to the client yet"
        );
        assert!(!merged.concurrent(&merged));
    }

    #[test]
    fn backing_off_sends_fewer_requests_into_a_partition() {
        let cut = Scenario {
            partition: Some((Duration::from_millis(30), Duration::from_secs(3))),
            ..Scenario::default()
        };
        let fixed =
            crate::simulate::simulation::simulate(&cut).expect("fixed time-out");
        let backoff = simulate_with(&cut, backoff_client).expect("backoff");
        assert_eq!(backoff.answered(), 10, "{:#?}", backoff.transcript);
        assert_eq!(fixed.answered(), 10, "{:#?}", fixed.transcript);
        assert!(
            backoff.retries() < fixed.retries() / 3,
            "{} vs {}",
            backoff.retries(),
            fixed.retries()
        );
    }

    #[test]
    fn a_crash_before_the_rename_keeps_the_old_checkpoint() {
        let dir = TempDir::new("ch07-ex3").expect("dir");
        let path = dir.path().join("state.json");
        save(&path, &State { count: 5 }).expect("saved");
        crash_before_rename(&path, &State { count: 6 }).expect("half a save");
        assert_eq!(load(&path).expect("old state").count, 5);
        assert!(temp_path(&path).exists());
        save(&path, &State { count: 6 }).expect("the next save");
        assert_eq!(load(&path).expect("new state").count, 6);
        // The next save writes a temporary file of its own, under a new
        // random name: the leftover is never read, followed or reused.
        assert!(temp_path(&path).exists(), "the leftover is left alone");
    }
}
