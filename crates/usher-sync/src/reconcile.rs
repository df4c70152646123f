//! The shift report's reconciliation: Session Services' current state of each ticket this
//! device's scans acted on (`GET /tickets/{id}`), for `usher_core::report::build`.

use crate::client::{ApiClient, Failure};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::time::Duration;
use usher_core::i18n::Said;
use usher_core::report::{ServerAnswer, ServerView};

/// Requests in flight at once.
const IN_FLIGHT: usize = 8;
/// Tries per ticket when the server answers "not now" (429, 5xx, an unreadable page).
const TRIES: u32 = 3;
/// The longest wait between two tries of one ticket.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// Asks the server about each of `tickets`. No answer at all (the network is down, the
/// server does not answer in time) or a refused token ends the whole question at once:
/// [`ServerView::Unavailable`] with the words why, so an offline door's report says so
/// instead of waiting on every ticket. A ticket the server does not know is
/// [`ServerAnswer::NotFound`]; any other refusal, or a server still busy after
/// [`TRIES`] tries, is that ticket's [`ServerAnswer::Failed`].
pub async fn fetch(client: &ApiClient, tickets: &[String]) -> ServerView {
    let mut answers = futures::stream::iter(tickets)
        .map(|id| async move { (id.clone(), ask(client, id).await) })
        .buffer_unordered(IN_FLIGHT);
    let mut out = BTreeMap::new();
    while let Some((id, answer)) = answers.next().await {
        match answer {
            Ok(answer) => {
                out.insert(id, answer);
            }
            Err(why) => return ServerView::Unavailable(why),
        }
    }
    ServerView::Answers(out)
}

/// One ticket; `Err` when the server cannot be asked at all.
async fn ask(client: &ApiClient, id: &str) -> Result<ServerAnswer, Said> {
    let mut tries = 0;
    loop {
        tries += 1;
        match client.ticket(id).await {
            Ok(env) => return Ok(ServerAnswer::Ticket(Box::new(env.ticket))),
            Err(Failure::Retry {
                status: 0, reason, ..
            }) => return Err(Said::new("reconcile-no-answer").with("why", reason)),
            Err(Failure::Auth { message, .. }) => return Err(message),
            Err(Failure::Rejected { status: 404, .. }) => return Ok(ServerAnswer::NotFound),
            Err(f) if f.is_retryable() && tries < TRIES => {
                let wait = f
                    .after()
                    .unwrap_or(Duration::from_millis(500))
                    .min(MAX_WAIT);
                tokio::time::sleep(wait).await;
            }
            Err(f) => return Ok(ServerAnswer::Failed(f.said())),
        }
    }
}
