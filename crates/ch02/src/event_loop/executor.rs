//! Chapter 2 · What an event loop is, part 2: an executor written from
//! scratch, then the same program on tokio.
//!
//! The executor keeps a queue of tasks that are ready to make progress.
//! It takes one, polls its future once, and moves on. A task that returns
//! `Pending` is not polled again until its waker puts it back on the queue
//! — which the reactor ([`crate::event_loop::reactor`]) does when its time comes. That
//! loop, take / poll / wait for a wake-up, is the event loop.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use crate::event_loop::reactor::Timer;

type BoxedFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: task
/// A spawned future and the way back onto the ready queue.
struct Task {
    future: Mutex<Option<BoxedFuture>>,
    ready: mpsc::Sender<Arc<Task>>,
}

impl Wake for Task {
    /// Waking a task = putting it back on the ready queue.
    fn wake(self: Arc<Self>) {
        let _ = self.ready.send(Arc::clone(&self));
    }
}
// ANCHOR_END: task

// ANCHOR: executor
// ANCHOR: executor_spawn
/// A single-threaded executor: a ready queue, and a count of live tasks.
#[derive(Debug)]
pub struct Executor {
    ready: mpsc::Receiver<Arc<Task>>,
    spawner: mpsc::Sender<Arc<Task>>,
    live: Arc<AtomicUsize>,
    /// How many times a future was polled: each task is polled once to
    /// start and once per wake-up, never in a busy loop.
    pub polls: usize,
}

impl Executor {
    pub fn new() -> Self {
        let (spawner, ready) = mpsc::channel();
        Executor {
            ready,
            spawner,
            live: Arc::new(AtomicUsize::new(0)),
            polls: 0,
        }
    }

    pub fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        self.live.fetch_add(1, Ordering::SeqCst);
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(future))),
            ready: self.spawner.clone(),
        });
        let _ = self.spawner.send(task); // ready to start
    }
    // ANCHOR_END: executor_spawn

    // ANCHOR: executor_run
    /// The event loop: until every task has finished, take a ready task
    /// and poll it once. Blocks (sleeps) while nothing is ready.
    pub fn run(&mut self) {
        while self.live.load(Ordering::SeqCst) > 0 {
            let Ok(task) = self.ready.recv() else { return };
            let mut slot = task.future.lock().unwrap_or_else(|p| p.into_inner());
            let Some(mut future) = slot.take() else {
                continue;
            }; // done already
            let waker = Waker::from(Arc::clone(&task));
            self.polls += 1;
            match future.as_mut().poll(&mut Context::from_waker(&waker)) {
                Poll::Ready(()) => {
                    self.live.fetch_sub(1, Ordering::SeqCst);
                }
                Poll::Pending => *slot = Some(future), // wait for a wake-up
            }
        }
    }
    // ANCHOR_END: executor_run
}
// ANCHOR_END: executor

impl Default for Executor {
    fn default() -> Self {
        Self::new()
    }
}

/// The demo's jobs: a name and how long it waits.
pub const JOBS: [(&str, u64); 3] = [("slow", 300), ("quick", 100), ("medium", 200)];

// ANCHOR: demo
// ANCHOR: demo_scratch
/// Three jobs that wait 300, 100 and 200 ms, on our executor: they finish
/// in order of their waits, and together take about the longest wait, not
/// the sum. Returns the names in finishing order and the poll count.
pub fn demo_scratch(out: &mut impl Write) -> anyhow::Result<(Vec<String>, usize)> {
    let timer = Timer::start();
    let mut executor = Executor::new();
    let finished = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    for (name, ms) in JOBS {
        let (timer, finished) = (timer.clone(), Arc::clone(&finished));
        executor.spawn(async move {
            timer.sleep(Duration::from_millis(ms)).await;
            finished
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(name.to_owned());
        });
    }
    executor.run();
    let order = finished.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let took = start.elapsed().as_millis();
    writeln!(
        out,
        "from scratch: {} in {took} ms, {} polls",
        order.join(", "),
        executor.polls
    )?;
    Ok((order, executor.polls))
}
// ANCHOR_END: demo_scratch

// ANCHOR: demo_tokio
/// The same jobs on tokio: `tokio::time::sleep` instead of our timer,
/// `tokio::spawn` instead of our `spawn`, the runtime instead of `run`.
pub fn demo_tokio(out: &mut impl Write) -> anyhow::Result<Vec<String>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let start = Instant::now();
    let order = runtime.block_on(async {
        let finished = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = JOBS
            .iter()
            .map(|&(name, ms)| {
                let finished = Arc::clone(&finished);
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    finished
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(name.to_owned());
                })
            })
            .collect();
        for task in tasks {
            task.await?;
        }
        let order = finished.lock().unwrap_or_else(|p| p.into_inner()).clone();
        anyhow::Ok(order)
    })?;
    writeln!(
        out,
        "tokio:        {} in {} ms",
        order.join(", "),
        start.elapsed().as_millis()
    )?;
    Ok(order)
}
// ANCHOR_END: demo_tokio
// ANCHOR_END: demo

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_finish_in_order_of_their_waits_on_both() {
        let mut out = Vec::new();
        let (order, polls) = demo_scratch(&mut out).expect("runs");
        assert_eq!(order, ["quick", "medium", "slow"]);
        assert_eq!(polls, 2 * JOBS.len(), "one poll to start, one per wake-up");
        assert_eq!(demo_tokio(&mut out).expect("runs"), order);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("from scratch: quick, medium, slow"), "{text}");
    }

    #[test]
    fn a_future_that_is_ready_at_once_is_polled_once() {
        let mut executor = Executor::new();
        let done = Arc::new(AtomicUsize::new(0));
        for _ in 0..5 {
            let done = Arc::clone(&done);
            executor.spawn(async move {
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        executor.run();
        assert_eq!(done.load(Ordering::SeqCst), 5);
        assert_eq!(executor.polls, 5);
    }
}
