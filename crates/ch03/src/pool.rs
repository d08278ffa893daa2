//! Chapter 3 · A thread pool with futures, the shape of `concurrent.futures`.
//!
//! `submit` puts a job on a channel that `workers` threads read from; it
//! returns a [`PoolFuture`] that can be asked `running()`, `done()` and
//! `result(timeout)`, like Python's `Future`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed number of worker threads reading jobs from one channel.
#[derive(Debug)]
pub struct ThreadPool {
    jobs: Option<mpsc::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

// ANCHOR: pool
// ANCHOR: pool_new
impl ThreadPool {
    pub fn new(workers: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let threads = (0..workers.max(1))
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || {
                    loop {
                        // The lock is held only while taking the next job.
                        let next = queue.lock().map(|rx| rx.recv());
                        match next {
                            Ok(Ok(job)) => job(),
                            _ => break, // pool dropped: no more jobs
                        }
                    }
                })
            })
            .collect();
        ThreadPool {
            jobs: Some(jobs),
            threads,
        }
    }
    // ANCHOR_END: pool_new

    // ANCHOR: pool_submit
    /// Queue `work` and return its future at once.
    pub fn submit<T, F>(&self, work: F) -> PoolFuture<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let future = PoolFuture::new();
        let state = Arc::clone(&future.state);
        let job: Job = Box::new(move || {
            set(&state, State::Running);
            let outcome = catch_unwind(AssertUnwindSafe(work));
            set(
                &state,
                match outcome {
                    Ok(value) => State::Done(value),
                    Err(_) => State::Panicked,
                },
            );
        });
        if let Some(jobs) = &self.jobs {
            // Sending fails only if every worker has exited, which they do
            // only after the pool is dropped.
            let _ = jobs.send(job);
        }
        future
    }
    // ANCHOR_END: pool_submit
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.jobs.take()); // closing the channel stops the workers
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
// ANCHOR_END: pool

#[derive(Debug)]
enum State<T> {
    Pending,
    Running,
    Done(T),
    Panicked,
}

type Shared<T> = Arc<(Mutex<State<T>>, Condvar)>;

fn set<T>(state: &Shared<T>, new: State<T>) {
    let (lock, changed) = &**state;
    if let Ok(mut guard) = lock.lock() {
        *guard = new;
    }
    changed.notify_all();
}

/// Why a future gave no value.
#[derive(Debug, PartialEq, Eq)]
pub enum FutureError {
    /// `result(timeout)`: the work was not finished in time (it goes on).
    TimedOut(Duration),
    /// The work panicked.
    Panicked,
}

impl std::error::Error for FutureError {}

impl std::fmt::Display for FutureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FutureError::TimedOut(t) => write!(f, "no result within {t:?}"),
            FutureError::Panicked => write!(f, "the task panicked"),
        }
    }
}

/// A result that a pool thread will produce.
#[derive(Debug)]
pub struct PoolFuture<T> {
    state: Shared<T>,
}

// ANCHOR: future
impl<T> PoolFuture<T> {
    fn new() -> Self {
        PoolFuture {
            state: Arc::new((Mutex::new(State::Pending), Condvar::new())),
        }
    }

    fn peek<R>(&self, look: impl FnOnce(&State<T>) -> R) -> R {
        let (lock, _) = &*self.state;
        let guard = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        look(&guard)
    }

    /// A pool thread is working on it now.
    pub fn running(&self) -> bool {
        self.peek(|s| matches!(s, State::Running))
    }

    /// It has finished (with a value or a panic).
    pub fn done(&self) -> bool {
        self.peek(|s| !matches!(s, State::Pending | State::Running))
    }

    /// Wait at most `timeout` for the value. On time-out the work goes on
    /// and the future can be asked again; once done, every call answers the
    /// same value, as in Python.
    pub fn result(&self, timeout: Duration) -> Result<T, FutureError>
    where
        T: Clone,
    {
        let guard = self.wait_for(timeout);
        match &*guard {
            State::Done(value) => Ok(value.clone()),
            State::Panicked => Err(FutureError::Panicked),
            _ => Err(FutureError::TimedOut(timeout)),
        }
    }
    // ANCHOR_END: future

    /// Wait as long as it takes, and take the value.
    pub fn wait(self) -> Result<T, FutureError> {
        let mut guard = self.wait_for(Duration::MAX);
        match std::mem::replace(&mut *guard, State::Panicked) {
            State::Done(value) => Ok(value),
            _ => Err(FutureError::Panicked),
        }
    }

    fn wait_for(&self, timeout: Duration) -> std::sync::MutexGuard<'_, State<T>> {
        let (lock, changed) = &*self.state;
        let guard = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        changed
            .wait_timeout_while(guard, timeout, |s| {
                matches!(s, State::Pending | State::Running)
            })
            .map_or_else(|poisoned| poisoned.into_inner().0, |(guard, _)| guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn futures_report_their_state() {
        let pool = ThreadPool::new(1);
        let (release, gate) = mpsc::channel::<()>();
        let blocked = pool.submit(move || gate.recv().map(|()| 7));
        let queued = pool.submit(|| 8);
        while !blocked.running() {
            std::thread::yield_now();
        }
        assert!(!blocked.done());
        assert!(
            !queued.running() && !queued.done(),
            "one worker: second waits"
        );
        assert_eq!(
            blocked.result(Duration::from_millis(5)),
            Err(FutureError::TimedOut(Duration::from_millis(5)))
        );
        release.send(()).expect("worker listens");
        assert_eq!(blocked.result(Duration::from_secs(10)), Ok(Ok(7)));
        assert_eq!(blocked.result(Duration::ZERO), Ok(Ok(7)), "asked again");
        assert_eq!(queued.wait(), Ok(8));
    }

    #[test]
    fn a_panicking_task_fails_its_future_not_the_pool() {
        let pool = ThreadPool::new(2);
        let bad = pool.submit(|| -> u32 { panic!("deliberate") });
        assert_eq!(bad.wait(), Err(FutureError::Panicked));
        assert_eq!(pool.submit(|| 5).wait(), Ok(5));
    }
}
