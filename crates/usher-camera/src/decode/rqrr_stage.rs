//! rqrr, isolated: every call under `catch_unwind` (it can panic on a damaged grid), its
//! panics counted and kept out of the log. The cascade's last stage and the benchmark's
//! baseline (the header of `decode/mod.rs` says where it adds reads).

use super::{Pass, QrDecoder, Read};
use crate::luma::LumaFrame;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

static RQRR_PANICS: AtomicU64 = AtomicU64::new(0);

/// How many rqrr panics this process has caught and survived.
pub fn rqrr_panics() -> u64 {
    RQRR_PANICS.load(Ordering::Relaxed)
}

/// Panics inside rqrr are expected and survived; their message would only alarm the user. This
/// hook silences panics raised from rqrr's sources and passes every other panic on unchanged.
fn quiet_rqrr_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let from_rqrr = info.location().is_some_and(|l| l.file().contains("rqrr"));
            if !from_rqrr {
                previous(info);
            }
        }));
    });
}

/// rqrr on one image, isolated: a panic inside it is caught, counted and reported as no read.
pub(super) fn rqrr_reads(
    luma: &[u8],
    width: u32,
    height: u32,
    inverted: bool,
    out: &mut Vec<Read>,
) -> bool {
    quiet_rqrr_panics();
    let (w, h) = (width as usize, height as usize);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            let v = luma[y * w + x];
            if inverted {
                255 - v
            } else {
                v
            }
        });
        let mut reads = vec![];
        for grid in img.detect_grids() {
            if let Ok((_, text)) = grid.decode() {
                reads.push(Read {
                    text,
                    corners: grid
                        .bounds
                        .iter()
                        .map(|p| (p.x as f32, p.y as f32))
                        .collect(),
                    inverted,
                    pass: Pass::Rqrr,
                });
            }
        }
        reads
    }));
    match result {
        Ok(reads) => {
            let any = !reads.is_empty();
            out.extend(reads);
            any
        }
        Err(_) => {
            RQRR_PANICS.fetch_add(1, Ordering::Relaxed);
            false
        }
    }
}

/// rqrr alone (panics caught): the benchmark's other baseline.
#[derive(Default)]
pub struct RqrrDecoder;

impl QrDecoder for RqrrDecoder {
    fn name(&self) -> &'static str {
        "rqrr"
    }
    fn decode(&mut self, frame: &LumaFrame) -> Vec<Read> {
        let mut out = vec![];
        rqrr_reads(&frame.data, frame.width, frame.height, false, &mut out);
        out
    }
}
