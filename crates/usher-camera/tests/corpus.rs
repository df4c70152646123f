//! The real-photo corpus as a regression floor: each folder must keep at least the reads
//! measured when the cascade was built, so a change that loses one fails CI.

use usher_camera::corpus::{self, corpus_dir};
use usher_camera::decode::{rqrr_panics, Cascade, QrDecoder, RqrrDecoder};
use usher_camera::LumaFrame;

fn dir() -> std::path::PathBuf {
    corpus_dir().unwrap_or_else(|e| panic!("{e}"))
}

/// Reads per folder of the still-image cascade (`usher decode`), as measured: 128 of 137
/// (126 before the zxing-cpp stage). zxing-cpp 3.1 alone reads 123, rxing alone 119, rqrr
/// alone 57.
const STILL_FLOOR: [(&str, usize); 6] = [
    ("qrcode-1", 8),
    ("qrcode-2", 53),
    ("qrcode-3", 18),
    ("qrcode-4", 17),
    ("qrcode-5", 16),
    ("qrcode-6", 15),
];

/// The live cascade (the camera's per-frame effort) on the same photos, one frame each:
/// 128 of 137 (121 before the zxing-cpp stage).
const LIVE_FLOOR: [(&str, usize); 6] = [
    ("qrcode-1", 8),
    ("qrcode-2", 53),
    ("qrcode-3", 18),
    ("qrcode-4", 17),
    ("qrcode-5", 16),
    ("qrcode-6", 15),
];

fn check(
    name: &str,
    floor: &[(&str, usize)],
    at_least: usize,
    make: impl FnMut() -> Box<dyn QrDecoder>,
) {
    let (score, failed) = corpus::score(&dir(), make).unwrap();
    let mut short = vec![];
    for (folder, min) in floor {
        let (got, images) = score[*folder];
        if got < *min {
            short.push(format!("{folder}: {got} of {images} read, floor {min}"));
        }
    }
    assert!(
        short.is_empty(),
        "{name} lost reads: {short:?}\nmissed: {failed:#?}"
    );
    let (read, images) = corpus::total(&score);
    assert_eq!(images, 137, "the corpus should have 137 scored images");
    assert!(
        read >= at_least,
        "{name}: {read} of 137, the floor is {at_least}"
    );
}

#[test]
fn still_cascade_keeps_its_corpus_reads_per_folder() {
    check("still cascade", &STILL_FLOOR, 128, || {
        Box::new(Cascade::still())
    });
}

#[test]
fn live_cascade_keeps_its_corpus_reads_per_folder() {
    check("live cascade", &LIVE_FLOOR, 126, || {
        Box::new(Cascade::live())
    });
}

#[test]
fn the_rqrr_panic_image_is_survived_and_still_read() {
    let path = dir().join("qrcode-6/7.png");
    let frame = LumaFrame::open(&path).unwrap();
    let expected = std::fs::read_to_string(path.with_extension("txt")).unwrap();
    let before = rqrr_panics();
    // rqrr alone panics inside detect_grids on this image: caught, counted, no read.
    assert!(RqrrDecoder.decode(&frame).is_empty());
    assert_eq!(
        rqrr_panics(),
        before + 1,
        "rqrr is expected to panic on qrcode-6/7.png"
    );
    // The cascade reads it (rxing leads) and runs rqrr too on an inverted copy without harm.
    let reads = Cascade::still().decode(&frame);
    assert_eq!(
        reads.first().map(|r| r.text.as_str()),
        Some(expected.as_str())
    );
    assert!(RqrrDecoder.decode(&frame.inverted()).len() <= 1);
}
