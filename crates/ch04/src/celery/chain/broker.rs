//! Chapter 4 · Any broker, with every delivery it hands the worker wrapped
//! so that chains are taken out of the messages (Redis and RabbitMQ alike).

use std::pin::Pin;

use celery::broker::DeliveryStream;
use futures::Stream;

use super::follow::{Chains, Followed};
use crate::celery::layer::{Consumed, Layer, Polled};

/// The layer that makes the worker's broker follow chains: every delivery
/// is wrapped to send the chain's next link after a success.
#[derive(Debug)]
pub struct Follow(pub Chains);

impl Layer for Follow {
    const NAME: &'static str = "Following";

    fn deliveries(&self, consumed: Consumed) -> Box<dyn DeliveryStream> {
        let Consumed {
            broker, mut stream, ..
        } = consumed;
        let chains = self.0.clone();
        Polled::boxed(move |cx| {
            let (chains, broker) = (chains.clone(), broker.clone());
            Pin::new(&mut stream).poll_next(cx).map(|next| {
                next.map(|item| {
                    item.map(|inner| {
                        Box::new(Followed::new(inner, chains, broker)) as _
                    })
                })
            })
        })
    }
}
