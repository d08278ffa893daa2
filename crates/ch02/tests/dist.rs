//! Chapter 2 · Worker processes of the real binary and the memory probe.

use std::time::Duration;

use ch02::fetch::dist::{Team, worker_command};
use ch02::probe::{self, Probe};
use workbench::rates::{self, RateService};

#[test]
fn a_team_of_workers_fetches_every_rate_in_order() {
    let service = RateService::start(Duration::from_millis(5)).expect("starts");
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch02"));
    let mut team = Team::start(3, &worker_command(program)).expect("workers start");
    for count in [1, 2, 10] {
        let pairs = rates::pairs(count);
        let (quotes, peak_kib) =
            team.fetch(&service.base_url(), &pairs).expect("fetches");
        rates::verify(&pairs, &quotes).expect("right rates in order");
        assert!(peak_kib > 0);
    }
    assert_eq!(service.served(), 13);
}

#[test]
fn the_probe_reports_more_memory_for_more_threads() {
    let service = RateService::start(Duration::from_millis(20)).expect("starts");
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch02"));
    let probe = |variant: &str, requests| Probe {
        variant: variant.into(),
        requests,
        base_url: service.base_url(),
        processes: 2,
    };
    let few = probe::in_child(program, &probe("threads", 1)).expect("probes");
    let many = probe::in_child(program, &probe("threads", 200)).expect("probes");
    assert!(few.start_kib > 0 && few.peak_kib >= few.start_kib);
    assert!(many.added_kib() > few.added_kib(), "{few:?} vs {many:?}");
    let err =
        probe::in_child(program, &probe("carrier-pigeon", 1)).expect_err("unknown");
    assert!(format!("{err:#}").contains("carrier-pigeon"), "{err:#}");
}
