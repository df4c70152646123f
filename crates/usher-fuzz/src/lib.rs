//! The fuzz harness: the engine is proptest, run for a fixed number of seeded cases inside
//! `cargo test`, or for as long as `scripts/fuzz` asks.
//!
//! Why proptest and not bolero: cargo-fuzz (libFuzzer) needs nightly and cannot be installed
//! here, and bolero on a stable toolchain without `cargo bolero` is a plain random engine too,
//! with no coverage guidance. Proptest is that same random engine, already in the workspace
//! (no new dependency to vet), seeded (a seed reproduces a run exactly) and it shrinks a
//! failing input to a small one before reporting it. Structure-aware inputs are its
//! strategies plus [`json`]'s mutations of real answers and files.
//!
//! `USHER_FUZZ_SECS=N` turns a target's short run into a long one: batches of fresh seeds
//! until N seconds have passed, every crash counted and printed (seed and shrunk input), and
//! the figures printed as `fuzz <target>: <iterations> iterations, <crashes> crashes`.
//! `USHER_FUZZ_SEED` changes the first seed.

#![warn(missing_docs)]

pub mod json;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Cases per batch of a long run (each batch has its own seed).
const BATCH: u32 = 256;

/// The seed every run starts from unless `USHER_FUZZ_SEED` says otherwise.
pub const DEFAULT_SEED: u64 = 0x0005_4e3e_f022;

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    /// Executions of the target, shrinking included.
    pub iterations: u64,
    /// Failing inputs found: at most one per seeded batch, each reported with its seed and
    /// shrunk input.
    pub crashes: u64,
}

fn runner(seed: u64, cases: u32) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(!seed).to_le_bytes());
    let config = Config {
        cases,
        // Kept as regression tests by hand, named for their behaviour, not in files here.
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name} is not a number: {v:?}")))
}

/// Runs `test` on inputs from `strategy`: `short_cases` seeded cases (a `cargo test` run), or,
/// with `USHER_FUZZ_SECS`, batches of fresh seeds for that long. Panics on any crash, with
/// the seed and the shrunk input; a long run counts every crash first.
pub fn fuzz<S: Strategy>(
    target: &str,
    short_cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> Figures
where
    S::Value: std::fmt::Debug,
{
    let seed = env_u64("USHER_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let long = env_u64("USHER_FUZZ_SECS").map(Duration::from_secs);
    let iterations = AtomicU64::new(0);
    let counted = |v: S::Value| {
        iterations.fetch_add(1, Ordering::Relaxed);
        test(v)
    };
    let started = Instant::now();
    let mut crashes = vec![];
    let mut batch = 0u64;
    loop {
        let batch_seed = seed.wrapping_add(batch);
        let cases = if long.is_some() { BATCH } else { short_cases };
        match runner(batch_seed, cases).run(&strategy, counted) {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => {
                let report = format!(
                    "fuzz {target}: crash with USHER_FUZZ_SEED={batch_seed:#x}: {why}\n  input (shrunk): {input:?}"
                );
                eprintln!("{report}");
                crashes.push(report);
            }
            Err(TestError::Abort(why)) => panic!("fuzz {target}: aborted: {why}"),
        }
        batch += 1;
        match long {
            Some(limit) if started.elapsed() < limit => continue,
            _ => break,
        }
    }
    let figures = Figures {
        iterations: iterations.load(Ordering::Relaxed),
        crashes: crashes.len() as u64,
    };
    println!(
        "fuzz {target}: {} iterations, {} crashes, {:.0?}, seeds {seed:#x}..{:#x}",
        figures.iterations,
        figures.crashes,
        started.elapsed(),
        seed.wrapping_add(batch)
    );
    assert!(
        crashes.is_empty(),
        "fuzz {target}: {} crashes:\n{}",
        crashes.len(),
        crashes.join("\n")
    );
    figures
}
