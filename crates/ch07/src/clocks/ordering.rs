//! Chapter 7 · Clocks and time: merging two processes' logs into one story.
//!
//! Sorted by wall-clock stamps, the merged log shows an effect before its
//! cause whenever the clocks disagree by more than a message takes. Sorted
//! by Lamport stamps, it never does.

use crate::clocks::{Event, Step};

// ANCHOR: orders
/// The merged log sorted by wall-clock stamps, as one would naively do.
pub fn by_wall_clock(events: &[Event]) -> Vec<Event> {
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| (e.wall_us, e.process));
    sorted
}

/// The merged log sorted by Lamport stamps (ties broken by process name).
pub fn by_lamport(events: &[Event]) -> Vec<Event> {
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| (e.lamport, e.process));
    sorted
}

/// Every message whose receive comes before its send in `order`: each one
/// is an effect shown before its cause.
pub fn causality_violations(order: &[Event]) -> Vec<(&'static str, u32)> {
    let position = |wanted: &dyn Fn(&Event) -> bool| order.iter().position(wanted);
    let mut wrong = Vec::new();
    for event in order {
        if let Step::Send(task) = event.step {
            let sender = event.process;
            let sent = position(&|e: &Event| {
                e.process == sender && e.step == Step::Send(task)
            });
            let got = position(&|e: &Event| {
                e.process != sender && e.step == Step::Receive(task)
            });
            if let (Some(sent), Some(got)) = (sent, got)
                && got < sent
            {
                wrong.push((sender, task));
            }
        }
    }
    wrong
}
// ANCHOR_END: orders

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::clocks::exchange;

    #[test]
    fn a_skewed_wall_clock_misorders_and_lamport_does_not() {
        // Ten seconds of skew: far more than any thread hand-over takes.
        let events = exchange(5, Duration::from_secs(10));
        assert_eq!(events.len(), 5 * 5);
        let wall = causality_violations(&by_wall_clock(&events));
        assert!(wall.contains(&("client", 1)), "{wall:?}");
        assert!(causality_violations(&by_lamport(&events)).is_empty());
    }

    #[test]
    fn lamport_order_holds_without_skew_too() {
        let events = exchange(3, Duration::ZERO);
        assert!(causality_violations(&by_lamport(&events)).is_empty());
    }
}
