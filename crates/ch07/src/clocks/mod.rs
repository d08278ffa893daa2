//! Chapter 7 · Clocks and time: wall clocks that disagree, and a Lamport
//! clock that orders the same events correctly.
//!
//! A client thread sends tasks to a worker thread and the worker answers.
//! Each side stamps its events twice: with its own wall clock, which on the
//! worker runs `skew` behind, and with a Lamport clock.

pub mod ordering;

use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Send, receive or local work; messages are named by a task number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Send(u32),
    Receive(u32),
    Work(u32),
}

/// One event as a process logged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub process: &'static str,
    pub step: Step,
    /// The process's wall clock in microseconds (skew included).
    pub wall_us: i64,
    pub lamport: u64,
}

// ANCHOR: lamport
/// Lamport's logical clock: a counter that every event advances and every
/// message carries, so a receive is always stamped after its send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LamportClock(u64);

impl LamportClock {
    /// A local event, or a send: the stamp to log (and to put on the message).
    pub fn tick(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    /// A message stamped `sent` arrives: jump past it.
    pub fn receive(&mut self, sent: u64) -> u64 {
        self.0 = self.0.max(sent) + 1;
        self.0
    }
}
// ANCHOR_END: lamport

// ANCHOR: process
/// A process's view of time: a wall clock off by `offset`, and a Lamport
/// clock. It logs every event with both.
struct Process {
    name: &'static str,
    start: Instant,
    offset_us: i64,
    clock: LamportClock,
    log: Vec<Event>,
}

// ANCHOR: process_clock
impl Process {
    fn wall_us(&self) -> i64 {
        self.start.elapsed().as_micros() as i64 + self.offset_us
    }

    fn record(&mut self, step: Step, lamport: u64) -> u64 {
        let wall_us = self.wall_us();
        let process = self.name;
        self.log.push(Event {
            process,
            step,
            wall_us,
            lamport,
        });
        lamport
    }

    fn send(&mut self, task: u32) -> u64 {
        let stamp = self.clock.tick();
        self.record(Step::Send(task), stamp)
    }

    fn receive(&mut self, task: u32, sent: u64) {
        let stamp = self.clock.receive(sent);
        self.record(Step::Receive(task), stamp);
    }

    fn work(&mut self, task: u32) {
        let stamp = self.clock.tick();
        self.record(Step::Work(task), stamp);
    }
}
// ANCHOR_END: process_clock
// ANCHOR_END: process

/// Run `tasks` round trips client → worker → client with the worker's wall
/// clock `skew` behind the client's; return every event of both.
pub fn exchange(tasks: u32, skew: Duration) -> Vec<Event> {
    let start = Instant::now();
    let (to_worker, worker_inbox) = mpsc::channel::<(u32, u64)>();
    let (to_client, client_inbox) = mpsc::channel::<(u32, u64)>();
    let worker = std::thread::spawn(move || {
        let offset_us = -(skew.as_micros() as i64);
        let mut me = Process {
            name: "worker",
            start,
            offset_us,
            clock: LamportClock::default(),
            log: Vec::new(),
        };
        for (task, sent) in worker_inbox {
            me.receive(task, sent);
            me.work(task);
            let stamp = me.send(task);
            if to_client.send((task, stamp)).is_err() {
                break;
            }
        }
        me.log
    });
    let mut client = Process {
        name: "client",
        start,
        offset_us: 0,
        clock: LamportClock::default(),
        log: Vec::new(),
    };
    for task in 1..=tasks {
        let stamp = client.send(task);
        if to_worker.send((task, stamp)).is_err() {
            break;
        }
        if let Ok((task, sent)) = client_inbox.recv() {
            client.receive(task, sent);
        }
    }
    drop(to_worker);
    let mut events = client.log;
    events.extend(worker.join().unwrap_or_default());
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receive_is_always_stamped_after_its_send() {
        let mut sender = LamportClock::default();
        let mut receiver = LamportClock(40);
        let sent = sender.tick();
        assert_eq!(receiver.receive(sent), 41);
        let late = LamportClock(3).tick();
        let mut behind = LamportClock::default();
        assert!(behind.receive(late) > late);
    }
}
