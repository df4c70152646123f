//! The download's writer: its own connection on its own thread, writing each page with its
//! walk's position through `usher_core::roster` (where the pass on disk lives), so requests go
//! on being sent and parsed while pages are written.

use crate::SyncError;
use std::time::Duration;
use usher_core::i18n::Said;
use usher_core::roster::{self, PageWrite};
use usher_core::Store;

/// Rows one transaction may hold: the door's scans wait for the writer's commit, so a
/// transaction stays at a few tens of milliseconds.
const ROWS_PER_COMMIT: usize = 500;
/// The writer's pause after each commit.
const GAP: Duration = Duration::from_millis(2);
/// Pages queued for the writer before the download waits for it.
const QUEUE: usize = 256;

/// What the writer is asked to do.
#[derive(Debug)]
pub(super) enum Write {
    Page(PageWrite),
    /// Forget a walk's position, so the next run starts it from its anchor again.
    Forget(String),
}

/// The writer: its own connection ([`Store::open_bulk_writer`]) on its own thread, so
/// requests go on being sent and parsed while pages are written. Whatever has queued up is
/// written together, up to [`ROWS_PER_COMMIT`] rows a transaction.
pub(super) struct Writer {
    queue: tokio::sync::mpsc::Sender<Write>,
    done: tokio::sync::oneshot::Receiver<Result<(), SyncError>>,
}

impl Writer {
    pub fn start(mut store: Store, event_id: &str, pass: i64) -> Result<Writer, SyncError> {
        let (queue, mut pages) = tokio::sync::mpsc::channel::<Write>(QUEUE);
        let (report, done) = tokio::sync::oneshot::channel();
        let event_id = event_id.to_string();
        std::thread::Builder::new()
            .name("usher-guest-list-writer".into())
            .spawn(move || {
                let mut run = || -> Result<(), SyncError> {
                    while let Some(first) = pages.blocking_recv() {
                        let mut batch = vec![first];
                        let mut rows = 0;
                        while rows < ROWS_PER_COMMIT {
                            match pages.try_recv() {
                                Ok(w) => {
                                    if let Write::Page(p) = &w {
                                        rows += p.rows.len();
                                    }
                                    batch.push(w);
                                }
                                Err(_) => break,
                            }
                        }
                        let mut writes = Vec::with_capacity(batch.len());
                        for w in batch {
                            match w {
                                Write::Page(p) => writes.push(p),
                                Write::Forget(walk) => {
                                    roster::save(store.conn_mut(), &event_id, pass, &writes)?;
                                    writes.clear();
                                    roster::forget(store.conn(), &event_id, &walk)?;
                                }
                            }
                        }
                        roster::save(store.conn_mut(), &event_id, pass, &writes)?;
                        // A gap between transactions, so a door waiting to record a scan
                        // (it tries every millisecond) gets in before the next one.
                        std::thread::sleep(GAP);
                    }
                    // The log grew to up to 64 MB: fold it back now; the pass's closing
                    // commit then cuts the file back.
                    store.checkpoint()?;
                    Ok(())
                };
                let result = run();
                // Closing the queue tells the download the writer stopped.
                pages.close();
                let _ = report.send(result);
            })
            .map_err(|e| {
                SyncError::BadAnswer(Said::new("sync-writer-start").with("why", e.to_string()))
            })?;
        Ok(Writer { queue, done })
    }

    /// Queues a write; false when the writer has stopped (its error comes from `finish`).
    pub async fn send(&self, w: Write) -> bool {
        self.queue.send(w).await.is_ok()
    }

    /// Waits until everything queued is written.
    pub async fn finish(self) -> Result<(), SyncError> {
        drop(self.queue);
        self.done
            .await
            .unwrap_or_else(|_| Err(SyncError::BadAnswer(Said::new("sync-writer-stopped"))))
    }
}
