//! The real-photo QR corpus (third-party test data beside the repository, never in it or
//! shipped: `docs/building.md`, "The real-photo QR corpus"), scored as
//! its README says: an image passes when a decoded text equals its `NAME.txt` byte for byte.
//! `qrcode-7` (one structured-append message over four symbols) is not scored per image, so
//! the 137 current images are `qrcode-1` … `qrcode-6`. `.result.txt` metadata keys (EC level,
//! symbology identifier) are not checked: the door only needs the text.

use crate::decode::QrDecoder;
use crate::luma::LumaFrame;
use crate::source::is_image;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The environment variable that overrides where the corpus is.
pub const CORPUS_ENV: &str = "USHER_QR_CORPUS";

/// The scored folders.
pub const FOLDERS: [&str; 6] = [
    "qrcode-1", "qrcode-2", "qrcode-3", "qrcode-4", "qrcode-5", "qrcode-6",
];

/// One photo and the text it holds.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The corpus folder it is in, e.g. `qrcode-1`.
    pub folder: String,
    /// The image file.
    pub path: PathBuf,
    /// The text it holds, from the `.txt` file beside it.
    pub expected: String,
}

/// `$USHER_QR_CORPUS`, else `shared/qr-corpus` beside the repository checkout.
pub fn corpus_dir() -> Result<PathBuf, String> {
    let dir = match std::env::var_os(CORPUS_ENV) {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/qr-corpus"),
    };
    if dir.join("qrcode-1").is_dir() {
        Ok(dir)
    } else {
        Err(format!(
            "the QR corpus is missing at {}: it is expected as shared/qr-corpus beside the \
             repository checkout, or set {CORPUS_ENV} to its folder",
            dir.display()
        ))
    }
}

/// Every scored image of `folder` with its expected text, in name order.
pub fn samples(dir: &Path, folder: &str) -> std::io::Result<Vec<Sample>> {
    let mut out = vec![];
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join(folder))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_image(p))
        .collect();
    paths.sort();
    for path in paths {
        let txt = path.with_extension("txt");
        if let Ok(bytes) = std::fs::read(&txt) {
            out.push(Sample {
                folder: folder.to_string(),
                path,
                expected: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    Ok(out)
}

/// Passes per folder: (passed, images).
pub type Score = BTreeMap<String, (usize, usize)>;

/// Decodes every scored image, with a fresh decoder from `decoder` for each (stills share no
/// region of interest). Returns the score and the images not read.
pub fn score(
    dir: &Path,
    mut decoder: impl FnMut() -> Box<dyn QrDecoder>,
) -> std::io::Result<(Score, Vec<PathBuf>)> {
    let mut score = Score::new();
    let mut failed = vec![];
    for folder in FOLDERS {
        let list = samples(dir, folder)?;
        let entry = score.entry(folder.to_string()).or_default();
        entry.1 = list.len();
        for s in list {
            let frame = match LumaFrame::open(&s.path) {
                Ok(f) => f,
                Err(_) => {
                    failed.push(s.path);
                    continue;
                }
            };
            let reads = decoder().decode(&frame);
            if reads.iter().any(|r| r.text == s.expected) {
                entry.0 += 1;
            } else {
                failed.push(s.path);
            }
        }
    }
    Ok((score, failed))
}

/// Passes and images over every folder.
pub fn total(score: &Score) -> (usize, usize) {
    score.values().fold((0, 0), |(a, b), (p, n)| (a + p, b + n))
}
