//! Chapter 7 · Simulate components: a client and a server on a simulated
//! network (turmoil), where loss, delay and partitions happen on purpose.
//!
//! The client asks the `rates` server for one quote per request over UDP,
//! waits `timeout`, and retries. Everything — time, the network, the order
//! in which hosts run — is simulated from one seed, so the same seed gives
//! the same story, step for step.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Result, anyhow};

use crate::simulate::hosts::{rates_server, retrying_client};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub seed: u64,
    pub requests: u32,
    /// Chance per network step that a working link fails (loses messages).
    pub fail_rate: f64,
    /// Chance per network step that a failed link comes back.
    pub repair_rate: f64,
    /// Cut client and server apart from `.0` for `.1` of simulated time.
    pub partition: Option<(Duration, Duration)>,
    pub timeout: Duration,
    pub max_attempts: u32,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 7,
            requests: 10,
            fail_rate: 0.0,
            repair_rate: 1.0,
            partition: None,
            timeout: Duration::from_millis(100),
            max_attempts: 50,
        }
    }
}

/// How it went: attempts per request (0 = gave up) and the transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub attempts: Vec<u32>,
    pub transcript: Vec<String>,
    pub simulated: Duration,
}

impl Outcome {
    pub fn answered(&self) -> usize {
        self.attempts.iter().filter(|&&a| a > 0).count()
    }
    pub fn retries(&self) -> u32 {
        self.attempts.iter().map(|a| a.saturating_sub(1)).sum()
    }
}

// ANCHOR: simulate
/// Run one scenario to the end and return what the client saw.
pub fn simulate(scenario: &Scenario) -> Result<Outcome> {
    simulate_with(scenario, retrying_client)
}

/// Run `client` against the rates server on the scenario's network,
/// cutting and repairing the link when the scenario says.
pub fn simulate_with<F>(
    scenario: &Scenario,
    client: impl FnOnce(Scenario, Rc<RefCell<Outcome>>) -> F,
) -> Result<Outcome>
where
    F: Future<Output = turmoil::Result> + 'static,
{
    // ANCHOR: sim_loop
    let mut sim = turmoil::Builder::new()
        .rng_seed(scenario.seed)
        .simulation_duration(Duration::from_secs(600))
        .min_message_latency(Duration::from_millis(1))
        .max_message_latency(Duration::from_millis(20))
        .fail_rate(scenario.fail_rate)
        .repair_rate(scenario.repair_rate)
        .build();
    let log = Rc::new(RefCell::new(Outcome::default()));
    sim.host("rates", rates_server);
    sim.client("client", client(scenario.clone(), Rc::clone(&log)));
    let mut cut = false;
    loop {
        if let Some((from, length)) = scenario.partition {
            let now = sim.elapsed();
            if !cut && now >= from && now < from + length {
                sim.partition("client", "rates");
                cut = true;
            } else if cut && now >= from + length {
                sim.repair("client", "rates");
                cut = false;
            }
        }
        if sim.step().map_err(|e| anyhow!("simulation failed: {e}"))? {
            break;
        }
    }
    let mut outcome = log.take();
    outcome.simulated = sim.elapsed();
    Ok(outcome)
}
// ANCHOR_END: sim_loop
// ANCHOR_END: simulate

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_network_answers_everything_at_once() {
        let outcome = simulate(&Scenario::default()).expect("ran");
        assert_eq!(outcome.attempts, vec![1; 10]);
        assert_eq!(outcome.retries(), 0);
    }

    #[test]
    fn the_same_seed_tells_the_same_story() {
        let lossy = Scenario {
            fail_rate: 0.3,
            repair_rate: 0.3,
            seed: 42,
            ..Scenario::default()
        };
        let first = simulate(&lossy).expect("ran");
        let again = simulate(&lossy).expect("ran");
        assert_eq!(first, again);
        assert!(first.retries() > 0, "{:#?}", first.transcript);
        let other = simulate(&Scenario { seed: 43, ..lossy }).expect("ran");
        assert_ne!(first.transcript, other.transcript);
    }

    #[test]
    fn a_partition_is_ridden_out_by_retrying() {
        let cut = Scenario {
            partition: Some((Duration::from_millis(30), Duration::from_secs(1))),
            ..Scenario::default()
        };
        let outcome = simulate(&cut).expect("ran");
        assert_eq!(outcome.answered(), 10, "{:#?}", outcome.transcript);
        assert!(outcome.retries() >= 9, "{:#?}", outcome.transcript);
        assert!(outcome.simulated >= Duration::from_millis(1030));
    }
}
