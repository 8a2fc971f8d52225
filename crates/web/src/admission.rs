//! How many requests the server works on at once. Beyond the limit a request waits for
//! its turn (first come, first served) before any of its work starts, holding only its
//! connection's buffers: the server's memory under load stays that of the limit, however
//! many connections are open (issue 10: under 150 MB under load). On 2 cores more requests
//! at once add no throughput, only memory and waiting inside the work.

use std::num::NonZeroUsize;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Semaphore;

/// `router` working on at most `max` requests at once.
pub(crate) fn bounded(router: Router, max: NonZeroUsize) -> Router {
    let turns = Arc::new(Semaphore::new(max.get()));
    router.layer(axum::middleware::from_fn_with_state(turns, admit))
}

async fn admit(State(turns): State<Arc<Semaphore>>, request: Request, next: Next) -> Response {
    // The semaphore is never closed, so a turn always comes; were it closed, the request
    // is served rather than refused.
    let _turn = turns.acquire().await.ok();
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::body::Body;
    use axum::http::StatusCode;
    use tower::ServiceExt as _;

    use super::*;

    /// Lets the current-thread runtime run every task that can make progress.
    async fn settle() {
        for _ in 0..50 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_request_beyond_the_limit_waits_until_one_before_it_is_done() {
        let started = Arc::new(AtomicUsize::new(0));
        let release = Arc::new(Semaphore::new(0));
        let handler = {
            let started = started.clone();
            let release = release.clone();
            move || async move {
                started.fetch_add(1, Ordering::SeqCst);
                release.acquire().await.map(|p| p.forget()).ok();
                "ok"
            }
        };
        // A fallback, not a route: `tests/app/routes.rs` reads every route of this crate.
        let app = bounded(
            Router::new().fallback(handler),
            NonZeroUsize::new(2).unwrap(),
        );
        let send =
            |app: Router| tokio::spawn(app.oneshot(Request::get("/").body(Body::empty()).unwrap()));
        let requests: Vec<_> = (0..3).map(|_| send(app.clone())).collect();
        settle().await;
        assert_eq!(
            started.load(Ordering::SeqCst),
            2,
            "the third waits its turn"
        );
        release.add_permits(1);
        settle().await;
        assert_eq!(
            started.load(Ordering::SeqCst),
            3,
            "a finished one lets it in"
        );
        release.add_permits(2);
        for request in requests {
            assert_eq!(request.await.unwrap().unwrap().status(), StatusCode::OK);
        }
    }
}
