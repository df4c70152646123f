//! Doors that see each other, over real loopback TCP between real doors (SQLite files on
//! disk, `usher_core::Door`): the group's key, the exchange, partitions, cuts mid-exchange,
//! joining by code, and discovery on loopback.

mod discovery;
mod exchange;
mod group;
mod join;
mod support;
