//! Chapter 2 · What an event loop is, part 1: a reactor over a timer.
//!
//! A future that has to wait for something (here: a moment in time) must
//! not block the thread. It registers its waker with a reactor and returns
//! `Pending`; the reactor — a thread that sleeps until the earliest
//! deadline — calls `wake()` when the moment comes, and the executor polls
//! the future again.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// A deadline and the waker to call at it.
struct Alarm {
    at: Instant,
    waker: Waker,
}

impl PartialEq for Alarm {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}
impl Eq for Alarm {}
impl PartialOrd for Alarm {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Alarm {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}

// ANCHOR: reactor
/// A handle to the timer thread; cloning it is cheap. The thread ends when
/// every handle is gone and no alarm is left.
#[derive(Debug, Clone)]
pub struct Timer {
    alarms: mpsc::Sender<Alarm>,
}

impl Timer {
    // ANCHOR: timer_thread
    pub fn start() -> Self {
        let (alarms, incoming) = mpsc::channel::<Alarm>();
        std::thread::spawn(move || {
            let mut pending = BinaryHeap::new(); // earliest deadline on top
            loop {
                let wait = pending.peek().map(|Reverse(a): &Reverse<Alarm>| {
                    a.at.saturating_duration_since(Instant::now())
                });
                let next = match wait {
                    Some(wait) => incoming.recv_timeout(wait),
                    None => {
                        incoming.recv().map_err(|_| RecvTimeoutError::Disconnected)
                    }
                };
                match next {
                    Ok(alarm) => pending.push(Reverse(alarm)),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) if pending.is_empty() => {
                        return;
                    }
                    Err(RecvTimeoutError::Disconnected) => {
                        std::thread::sleep(wait.unwrap_or_default())
                    }
                }
                while pending
                    .peek()
                    .is_some_and(|Reverse(a)| a.at <= Instant::now())
                {
                    if let Some(Reverse(alarm)) = pending.pop() {
                        alarm.waker.wake(); // the event: "your moment has come"
                    }
                }
            }
        });
        Timer { alarms }
    }
    // ANCHOR_END: timer_thread

    /// A future that is ready `duration` from now.
    pub fn sleep(&self, duration: Duration) -> Sleep {
        Sleep {
            at: Instant::now() + duration,
            timer: self.clone(),
            registered: false,
        }
    }
}

// ANCHOR: sleep
/// The future returned by [`Timer::sleep`].
#[derive(Debug)]
pub struct Sleep {
    at: Instant,
    timer: Timer,
    registered: bool,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.at {
            return Poll::Ready(());
        }
        if !self.registered {
            // Not yet: leave our waker with the reactor and give the
            // thread back. (A real runtime would also update the waker if
            // a later poll brought a different one.)
            let alarm = Alarm {
                at: self.at,
                waker: cx.waker().clone(),
            };
            self.registered = self.timer.alarms.send(alarm).is_ok();
        }
        Poll::Pending
    }
}
// ANCHOR_END: sleep
// ANCHOR_END: reactor
