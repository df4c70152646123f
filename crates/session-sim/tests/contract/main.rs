//! Contract tests: every rule of the Session Services contract, exercised with a real HTTP
//! client (reqwest) over loopback against the simulator. Every answer they read is checked
//! against the contract's JSON Schemas (`support::body_of`).

mod support;

mod auth;
mod binary;
mod check_in;
mod check_out;
mod demo;
mod embedding;
mod events;
mod faults;
mod idempotency;
mod inspection;
mod journal;
mod strictness;
mod tickets;
