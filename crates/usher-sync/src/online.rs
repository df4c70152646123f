//! Online confirm over HTTP: the core's [`OnlineConfirm`] answered by Session Services with
//! a short timeout, on a small runtime of its own so the door's thread can simply wait.

use crate::client::ApiClient;
use crate::upload::{request_body, settlement, RetryPolicy};
use std::time::Duration;
use usher_core::i18n::Said;
use usher_core::online::OnlineConfirm;
use usher_core::outbox::{Settlement, Upload};

/// Online confirm through an [`ApiClient`], on a one-thread runtime of its own.
pub struct OnlineClient {
    rt: tokio::runtime::Runtime,
    client: ApiClient,
}

impl OnlineClient {
    /// Wraps `client`; fails only when the runtime cannot start.
    pub fn new(client: ApiClient) -> std::io::Result<OnlineClient> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(OnlineClient { rt, client })
    }
}

impl OnlineConfirm for OnlineClient {
    fn confirm(&self, upload: &Upload, timeout: Duration) -> Settlement {
        let body = request_body(upload);
        let answer = self.rt.block_on(async {
            // The whole exchange, connection included, within the door's timeout.
            match tokio::time::timeout(
                timeout,
                self.client
                    .check(upload.kind, &upload.key, &body, Some(timeout)),
            )
            .await
            {
                Ok(answer) => answer,
                Err(_) => Err(crate::Failure::Retry {
                    reason: Said::new("failure-confirm-timeout"),
                    after: None,
                    status: 0,
                }),
            }
        });
        settlement(answer, upload.attempts, RetryPolicy::default())
    }
}
