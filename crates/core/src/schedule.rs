//! Jobs `serve` runs on an interval (escalating overdue rights requests and breach
//! deadlines): one loop, so every such job logs a failure once until it succeeds again,
//! and lets a late tick slip rather than run twice in a row.

use std::future::Future;
use std::time::Duration;

use crate::error::CoreResult;

/// Runs `run` every `every`, forever. `run` answers how many items it handled; a run
/// that handled some is logged, a failing one once until a run succeeds again (the next
/// run catches up, nothing is lost).
pub(crate) async fn repeat<F, Fut>(every: Duration, job: &'static str, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = CoreResult<u64>>,
{
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        interval.tick().await;
        match run().await {
            Ok(handled) => {
                failing = false;
                if handled > 0 {
                    tracing::info!(job, handled, "scheduled job done");
                }
            }
            Err(e) => {
                if !failing {
                    tracing::error!(job, error = %e, "scheduled job failed; it runs again");
                }
                failing = true;
            }
        }
    }
}
