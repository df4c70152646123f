//! Usher's integration tests: the real `usher` binary over real SQLite files on disk.
//! One test binary, one module per concern.

mod support;

mod answers;
mod bad_input;
mod camera;
mod conformance;
mod crash;
mod export;
mod import;
mod kiosk;
mod language;
mod lookup;
mod peers;
mod privacy;
mod reliability;
mod report;
mod scan;
mod station;
mod sync;
mod sync_crash;
mod sync_download;
