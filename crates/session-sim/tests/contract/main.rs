//! Contract tests: every rule of the Session Services contract, exercised with a real HTTP
//! client (reqwest) over loopback against the simulator.

mod support;

mod auth;
mod binary;
mod check_in;
mod check_out;
mod embedding;
mod events;
mod faults;
mod idempotency;
mod inspection;
mod strictness;
mod tickets;
