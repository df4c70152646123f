//! QR decoders behind one trait, and the cascade the camera runs.
//!
//! Measured on these machines (`docs/building.md`, "QR decoding: measured facts"): rxing reads more than rqrr and is about five times
//! faster, so rxing leads. rqrr, the decoder the design names (`docs/product.md`, "Input and parsing"), is kept as the last step where it
//! adds reads, and every call into it is isolated with `catch_unwind` because it can panic (an
//! assertion in `detect_grids`, e.g. on `qrcode-6/7.png`).
//!
//! Live, the full-size pass is gated on rxing's own finder search at half size: on a frame
//! without a code it was three quarters of the time (binarising 1280x720 dominates), and most
//! such frames show no finder pattern at half size. Where finders are seen, only the area a
//! code with them can cover is binarised at full size. Measured on the benchmark's 720p door
//! frames, against the ungated cascade in the same run: 6.9 → 1.6 ms median without a code,
//! p95 with a code 17.7 → 3.7 ms, for 2 reads of 233 (231).
//!
//! zxing-cpp (3.1.1, C++, through the `zxing-cpp` crate) is the late stage (issue 15): rxing
//! alone stayed behind zxing-cpp on hard door frames. Live, it reads the finder area where
//! rxing saw finders and read nothing, and, where no finder was seen at half size (small
//! modules), the whole frame on one missed frame in three; still, it looks right after rxing's
//! full-size try. Images up to 800 px get a second zxing-cpp look with a global threshold.
//! Measured by `cargo bench -p usher-camera --bench decode` in one run (live: each picture
//! three frames in a row, 100 ms at 30 fps), reads without → with the stage, zxing-cpp alone
//! (PyPI) beside it:
//!
//! | set | live | still | zxing-cpp | live ms, no code / code (median) |
//! |---|---|---|---|---|
//! | door frames, seed 5 (tuned on), 300 | 231 → 244 | 236 → 245 | 243 | 1.40 / 1.40 |
//! | door frames, fresh seed 20261207, 300 | 240 → 251 | 247 → 250 | 248 | 1.11 / 1.60 |
//! | real photos, 137 | 121 → 128 | 126 → 128 | 123 | |
//!
//! No phantom on the 120 frames without a code. The price: p95 without a code rises from
//! about 1.7 to 8 to 10 ms (the frames zxing-cpp reads whole), and an empty door kept awake at
//! 30 fps costs about 11% of a core instead of 4% (idle, 1.4%).
//!
//! Left out, measured on seed 5 with a scratch probe (whole frames, one look each):
//! zxing-cpp on a contrast-stretched frame (2nd to 98th percentile) read 233 (243 plain) and
//! the still cascade on it 240 (245 plain); zxing-cpp on a 2x upscale read 245, two more than
//! plain, at four times the pixels, too dear for a live frame. Unsharp mask and gamma were not
//! tried. The second-frame policy is the one-in-three schedule above; a hit's region is
//! already tried first on the next frames (`Pass::Region`).

use crate::luma::LumaFrame;
use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::detector::FindFinderPatterns;
use rxing::qrcode::cpp_port::QrReader;
use rxing::qrcode::QRCodeReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8Source, Reader};
use serde::Serialize;
use std::collections::HashSet;

mod rqrr_stage;
mod zxing_stage;

use rqrr_stage::rqrr_reads;
pub use rqrr_stage::{rqrr_panics, RqrrDecoder};
use zxing_stage::zxing_reads;
pub use zxing_stage::ZxingDecoder;

/// Which step of a decoder found a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pass {
    /// Full resolution, in the region around the previous frame's code.
    Region,
    /// The frame at half size.
    Half,
    /// The frame at full size.
    Full,
    /// The still-image steps: harder search, other scales and binarisers.
    Thorough,
    /// rqrr.
    Rqrr,
    /// zxing-cpp: where rxing saw finder patterns but read nothing, and a still image's
    /// second look.
    Zxing,
}

/// One decoded code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Read {
    /// The decoded text. Byte-mode payloads that are not UTF-8 are as the decoder guessed them.
    pub text: String,
    /// The code's corners (or finder centres), in frame pixels.
    pub corners: Vec<(f32, f32)>,
    /// Light modules on dark: a phone in dark mode.
    pub inverted: bool,
    /// The step that found it.
    pub pass: Pass,
}

impl Read {
    /// The mean of the corners, in frame pixels.
    pub fn centre(&self) -> (f32, f32) {
        let n = self.corners.len().max(1) as f32;
        let (sx, sy) = self
            .corners
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        (sx / n, sy / n)
    }

    /// The smallest axis-aligned box around the corners: (left, top, right, bottom).
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        self.corners.iter().fold(
            (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
            |(l, t, r, b), &(x, y)| (l.min(x), t.min(y), r.max(x), b.max(y)),
        )
    }
}

/// Anything that turns a grey frame into the codes it shows.
pub trait QrDecoder {
    /// A short name for reports and the benchmark, e.g. `rxing`.
    fn name(&self) -> &'static str;
    /// Every code found, in no particular order. Never panics.
    fn decode(&mut self, frame: &LumaFrame) -> Vec<Read>;
    /// Forgets what earlier frames taught it (after a panic left it half-way).
    fn reset(&mut self) {}
}

/// Sorts `reads` so the one nearest the frame's centre comes first, and drops repeats of the
/// same text (the nearer copy stays). With several tickets in view, the one held up to the
/// camera is the one in the middle.
pub fn nearest_centre_first(reads: &mut Vec<Read>, width: u32, height: u32) {
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let dist = |r: &Read| {
        let (x, y) = r.centre();
        (x - cx).powi(2) + (y - cy).powi(2)
    };
    reads.sort_by(|a, b| dist(a).total_cmp(&dist(b)));
    let mut seen = HashSet::new();
    reads.retain(|r| seen.insert(r.text.clone()));
}

// ---------------------------------------------------------------------------------------------
// rxing

fn qr_hints(try_harder: bool) -> DecodeHints {
    DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(try_harder),
        ..DecodeHints::default()
    }
}

/// Where a (possibly cropped or scaled) image sits in the frame: frame = offset + image * scale.
#[derive(Clone, Copy)]
struct Placement {
    scale: f32,
    dx: f32,
    dy: f32,
}

const SAME: Placement = Placement {
    scale: 1.0,
    dx: 0.0,
    dy: 0.0,
};

/// Options for one rxing look at an image.
#[derive(Clone, Copy)]
struct Look {
    try_harder: bool,
    /// Look for dark-on-light codes.
    normal: bool,
    /// Look for light-on-dark codes (reuses the same binarisation).
    inverted: bool,
    /// Also run rxing's port of ZXing's Java reader, which finds a few codes the C++ port misses.
    java_reader: bool,
    pass: Pass,
}

/// Which polarities showed finder patterns to rxing's finder search, and where a code with
/// those finders can be: (left, top, right, bottom) in frame pixels.
#[derive(Debug, Clone, Copy, Default)]
struct FindersSeen {
    dark: bool,
    light: bool,
    area: Option<(f32, f32, f32, f32)>,
}

/// How far a code can reach from one of its finder patterns, in finder widths: a finder is 7
/// modules wide and sits in a corner, and ticket codes (versions 2 to 5) are 25 to 37
/// modules. rxing's finder size is a mean over four directions, which a tilted code makes
/// small: eight finder widths (56 modules) leaves room for that (measured: five lost reads).
const CODE_REACH: f32 = 8.0;

fn rxing_reads(
    luma: &[u8],
    width: u32,
    height: u32,
    at: Placement,
    look: Look,
    out: &mut Vec<Read>,
) -> bool {
    rxing_reads_seen(luma, width, height, at, look, out, None)
}

/// One rxing look. With `seen`, rxing's own finder search (a fraction of a decode's cost,
/// on the binarisation the decode reuses) runs first for each polarity and is reported; the
/// decode runs only where it found finder patterns, since QrReader finds no QR code without.
fn rxing_reads_seen(
    luma: &[u8],
    width: u32,
    height: u32,
    at: Placement,
    look: Look,
    out: &mut Vec<Read>,
    mut seen: Option<&mut FindersSeen>,
) -> bool {
    let Ok(source) = Luma8Source::new_with_slice(luma, width, height) else {
        return false;
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = qr_hints(look.try_harder);
    let before = out.len();
    let polarities = [(false, look.normal), (true, look.inverted)];
    for inverted in polarities.iter().filter(|p| p.1).map(|p| p.0) {
        if inverted {
            bitmap.invert();
        }
        if let Some(seen) = seen.as_deref_mut() {
            let finders = FindFinderPatterns(bitmap.get_black_matrix(), look.try_harder, 0);
            for fp in &finders {
                let reach = CODE_REACH * fp.size.max(7) as f32;
                let (x, y) = (at.dx + fp.p.x * at.scale, at.dy + fp.p.y * at.scale);
                let (l, t, r, b) = (
                    x - reach * at.scale,
                    y - reach * at.scale,
                    x + reach * at.scale,
                    y + reach * at.scale,
                );
                seen.area = Some(match seen.area {
                    None => (l, t, r, b),
                    Some(a) => (a.0.min(l), a.1.min(t), a.2.max(r), a.3.max(b)),
                });
            }
            let any = !finders.is_empty();
            if inverted {
                seen.light = any;
            } else {
                seen.dark = any;
            }
            if !any {
                continue;
            }
        }
        let found = QrReader
            .decode_multiple_with_hints(&mut bitmap, &hints)
            .unwrap_or_default();
        let mut any = !found.is_empty();
        for r in found {
            out.push(to_read(&r, at, inverted, look.pass));
        }
        if !any && look.java_reader {
            if let Ok(r) = QRCodeReader.decode_with_hints(&mut bitmap, &hints) {
                out.push(to_read(&r, at, inverted, look.pass));
                any = true;
            }
        }
        if any {
            break;
        }
    }
    out.len() > before
}

fn to_read(r: &rxing::RXingResult, at: Placement, inverted: bool, pass: Pass) -> Read {
    Read {
        text: r.getText().to_string(),
        corners: r
            .getPoints()
            .iter()
            .map(|p| (at.dx + p.x * at.scale, at.dy + p.y * at.scale))
            .collect(),
        inverted,
        pass,
    }
}

/// rxing alone, one look at full resolution, as its helpers would do it: the benchmark's
/// baseline.
#[derive(Default)]
pub struct RxingDecoder;

impl QrDecoder for RxingDecoder {
    fn name(&self) -> &'static str {
        "rxing"
    }
    fn decode(&mut self, frame: &LumaFrame) -> Vec<Read> {
        let mut out = vec![];
        let look = Look {
            try_harder: true,
            normal: true,
            inverted: false,
            java_reader: true,
            pass: Pass::Full,
        };
        rxing_reads(&frame.data, frame.width, frame.height, SAME, look, &mut out);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The cascade

/// How hard the cascade tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// A live camera: a fresh frame comes every 33 ms, so each frame gets the cheap steps and
    /// the expensive ones are spread over frames.
    Live,
    /// A still image (`usher decode`): every step, time is no object.
    Still,
}

/// rxing at half size, then full size on a miss, with a region of interest around the last
/// hit and inverted codes; zxing-cpp late; rqrr where it adds reads. See [`Cascade::decode`].
pub struct Cascade {
    effort: Effort,
    last_hit: Option<LastHit>,
    /// Live: rqrr runs on one missed frame in this many.
    rqrr_every: u32,
    misses: u32,
    /// Live: run the full-size pass only for the polarities in which rxing's finder search
    /// saw finder patterns at half size. Most frames without a code show none, and the
    /// full-size pass is three quarters of the cascade's time on them.
    finder_gate: bool,
    /// Live, gated: the full-size pass looks only around the finder patterns seen.
    crop_to_finders: bool,
    /// zxing-cpp as the late stage: live, where finder patterns were seen but rxing read
    /// nothing (in the same area); still, after rxing's full-size look.
    zxing: bool,
    /// Live: where no finder pattern was seen, zxing-cpp reads the whole frame on one
    /// missed frame in this many in a row (0 = never).
    zxing_every: u32,
    half: LumaFrame,
}

/// Where the last code was seen.
#[derive(Debug, Clone, Copy)]
struct LastHit {
    /// Its box in frame pixels: (left, top, right, bottom).
    bounds: (f32, f32, f32, f32),
    /// Frames since it was seen.
    age: u32,
    /// Light on dark.
    inverted: bool,
}

/// How many frames the region of interest is tried after its code was last seen.
const REGION_FRAMES: u32 = 15;
/// Frames narrower than this are not worth a half-size pass: their codes would be too small.
const HALF_MIN_WIDTH: u32 = 800;
/// Live: zxing-cpp on the whole frame, where no finder was seen, on one missed frame in this
/// many in a row (about 100 ms at 30 fps).
const ZXING_EVERY: u32 = 3;

impl Cascade {
    /// A cascade trying this hard, with the defaults: finder gate and crop on, rqrr never
    /// on a live frame.
    pub fn new(effort: Effort) -> Cascade {
        Cascade {
            effort,
            last_hit: None,
            // rqrr costs 12-17 ms a call for about 2 extra reads in 300 door frames: a live
            // camera gets the same code again on the next frame instead.
            rqrr_every: 0,
            misses: 0,
            finder_gate: true,
            crop_to_finders: true,
            zxing: true,
            zxing_every: ZXING_EVERY,
            half: LumaFrame::filled(0, 0, 0),
        }
    }

    /// The live camera's cascade ([`Effort::Live`]).
    pub fn live() -> Cascade {
        Cascade::new(Effort::Live)
    }

    /// A still image's cascade ([`Effort::Still`]).
    pub fn still() -> Cascade {
        Cascade::new(Effort::Still)
    }

    /// Live effort: run rqrr on one missed frame in `n` (0 = never, the default), and only on
    /// frames where finder patterns were seen.
    pub fn with_rqrr_every(mut self, n: u32) -> Cascade {
        self.rqrr_every = n;
        self
    }

    /// Live effort: gate the full-size pass on the finder patterns seen at half size (the
    /// default), or run every pass on every frame (`false`, the cascade as first built).
    pub fn with_finder_gate(mut self, gate: bool) -> Cascade {
        self.finder_gate = gate;
        self
    }

    /// Live effort, gated: run the full-size pass only around the finder patterns seen at half
    /// size (the default), or on the whole frame (`false`).
    pub fn with_crop_to_finders(mut self, crop: bool) -> Cascade {
        self.crop_to_finders = crop;
        self
    }

    /// zxing-cpp as the late stage (the default), or not (`false`, rxing and rqrr only).
    pub fn with_zxing(mut self, zxing: bool) -> Cascade {
        self.zxing = zxing;
        self
    }

    /// Live: where rxing saw no finder pattern, zxing-cpp reads the whole frame on one
    /// missed frame in `n` in a row (0 = never; the default is three).
    pub fn with_zxing_every(mut self, n: u32) -> Cascade {
        self.zxing_every = n;
        self
    }

    /// Forgets the region of interest (a new scene, e.g. the next still image).
    pub fn reset(&mut self) {
        self.last_hit = None;
        self.misses = 0;
    }

    fn region_pass(&mut self, f: &LumaFrame, out: &mut Vec<Read>) -> bool {
        let Some(LastHit {
            bounds: (l, t, r, b),
            age,
            inverted,
        }) = self.last_hit
        else {
            return false;
        };
        if age > REGION_FRAMES {
            self.last_hit = None;
            return false;
        }
        // The code's box grown by its own size on every side: a hand moves a ticket that much
        // between frames. Points are finder centres, so the box is a little small to start with.
        let (bw, bh) = (r - l, b - t);
        let grow = bw.max(bh).max(40.0);
        // The same ticket or phone: the same polarity.
        let look = Look {
            try_harder: false,
            normal: !inverted,
            inverted,
            java_reader: false,
            pass: Pass::Region,
        };
        crop_reads(f, (l - grow, t - grow, r + grow, b + grow), look, out)
    }

    fn live_passes(&mut self, f: &LumaFrame, out: &mut Vec<Read>) -> bool {
        if self.region_pass(f, out) {
            return true;
        }
        // What the half-size pass saw; without the gate (or without a half-size pass) every
        // later pass runs, for both polarities: the cascade as first built.
        let mut seen = FindersSeen {
            dark: true,
            light: true,
            area: None,
        };
        if f.width >= HALF_MIN_WIDTH {
            f.half_into(&mut self.half);
            let at = Placement {
                scale: 2.0,
                dx: 0.5,
                dy: 0.5,
            };
            let look = Look {
                try_harder: false,
                normal: true,
                inverted: true,
                java_reader: false,
                pass: Pass::Half,
            };
            let mut half_seen = FindersSeen::default();
            let report = self.finder_gate.then_some(&mut half_seen);
            if rxing_reads_seen(
                &self.half.data,
                self.half.width,
                self.half.height,
                at,
                look,
                out,
                report,
            ) {
                return true;
            }
            if self.finder_gate {
                seen = half_seen;
            }
        }
        if seen.dark || seen.light {
            let look = Look {
                try_harder: false,
                normal: seen.dark,
                inverted: seen.light,
                java_reader: true,
                pass: Pass::Full,
            };
            // Gated, the full-size look covers only where a code with the finders seen at
            // half size can be: binarising it is most of the pass's cost.
            // An area of most of the frame is not worth the copy.
            let worth = |a: &(f32, f32, f32, f32)| {
                let (w, h) = (f.width as f32, f.height as f32);
                (a.2.min(w) - a.0.max(0.0)) * (a.3.min(h) - a.1.max(0.0)) < 0.6 * w * h
            };
            let area = seen.area.filter(|a| self.crop_to_finders && worth(a));
            let read = match area {
                Some(area) => crop_reads(f, area, look, out),
                None => rxing_reads(&f.data, f.width, f.height, SAME, look, out),
            };
            if read {
                return true;
            }
            // Finders were seen and rxing read nothing there: zxing-cpp looks at the same
            // area. A frame without a code rarely gets this far, so it stays cheap.
            if self.zxing {
                let read = match area {
                    Some(area) => crop(f, area).is_some_and(|(img, w, h, at)| {
                        zxing_reads(&img, w, h, at, Pass::Zxing, out)
                    }),
                    None => zxing_reads(&f.data, f.width, f.height, SAME, Pass::Zxing, out),
                };
                if read {
                    return true;
                }
            }
        }
        self.misses += 1;
        // No finder pattern at half size: small modules (3 to 5 px) often show none there.
        // zxing-cpp finds them at full size, but a whole 720p frame costs it 2 to 4 ms, which
        // the door cannot pay on every frame without a code. A code is in view for many
        // frames, so one missed frame in `zxing_every` gets it.
        if self.zxing
            && self.zxing_every > 0
            && !(seen.dark || seen.light)
            && self.misses.is_multiple_of(self.zxing_every)
            && zxing_reads(&f.data, f.width, f.height, SAME, Pass::Zxing, out)
        {
            return true;
        }
        if self.rqrr_every > 0 && seen.dark && self.misses.is_multiple_of(self.rqrr_every) {
            return rqrr_reads(&f.data, f.width, f.height, false, out);
        }
        false
    }

    fn still_passes(&mut self, f: &LumaFrame, out: &mut Vec<Read>) {
        let hard = |pass| Look {
            try_harder: true,
            normal: true,
            inverted: true,
            java_reader: true,
            pass,
        };
        if rxing_reads(&f.data, f.width, f.height, SAME, hard(Pass::Full), out) {
            return;
        }
        if self.zxing && zxing_reads(&f.data, f.width, f.height, SAME, Pass::Zxing, out) {
            return;
        }
        // Large photos: a blurred or noisy code often reads better smaller.
        let mut scaled = f.clone();
        let mut scale = 1.0;
        while scaled.width >= 400 && scaled.height >= 400 {
            scaled = scaled.half();
            scale *= 2.0;
            let at = Placement {
                scale,
                dx: scale / 4.0,
                dy: scale / 4.0,
            };
            if rxing_reads(
                &scaled.data,
                scaled.width,
                scaled.height,
                at,
                hard(Pass::Thorough),
                out,
            ) {
                return;
            }
        }
        // Small images with small modules: twice the size gives the finder search more pixels.
        if f.width <= 800 && f.height <= 800 {
            let big = upscale2(f);
            let at = Placement {
                scale: 0.5,
                dx: -0.25,
                dy: -0.25,
            };
            if rxing_reads(
                &big.data,
                big.width,
                big.height,
                at,
                hard(Pass::Thorough),
                out,
            ) {
                return;
            }
        }
        if rqrr_reads(&f.data, f.width, f.height, false, out) {
            return;
        }
        rqrr_reads(&f.data, f.width, f.height, true, out);
    }
}

/// rxing on the part of `f` inside `area` (left, top, right, bottom; clamped to the frame).
fn crop_reads(f: &LumaFrame, area: (f32, f32, f32, f32), look: Look, out: &mut Vec<Read>) -> bool {
    crop(f, area).is_some_and(|(img, w, h, at)| rxing_reads(&img, w, h, at, look, out))
}

/// A copy of the part of `f` inside `area` (clamped to the frame): its pixels, width, height
/// and placement; `None` when too small to hold a code.
fn crop(f: &LumaFrame, area: (f32, f32, f32, f32)) -> Option<(Vec<u8>, u32, u32, Placement)> {
    let x0 = area.0.max(0.0) as u32;
    let y0 = area.1.max(0.0) as u32;
    let x1 = (area.2.max(0.0) as u32).min(f.width);
    let y1 = (area.3.max(0.0) as u32).min(f.height);
    if x1 <= x0 + 21 || y1 <= y0 + 21 {
        return None;
    }
    // Cropping copies part of a frame; rxing's crop would share the buffer, but its hybrid
    // binariser then thresholds the crop on the whole frame's grid.
    let (w, h) = (x1 - x0, y1 - y0);
    let mut crop = Vec::with_capacity((w * h) as usize);
    for y in y0..y1 {
        let row = y as usize * f.width as usize;
        crop.extend_from_slice(&f.data[row + x0 as usize..row + x1 as usize]);
    }
    let at = Placement {
        scale: 1.0,
        dx: x0 as f32,
        dy: y0 as f32,
    };
    Some((crop, w, h, at))
}

/// Bilinear 2x upscale.
fn upscale2(f: &LumaFrame) -> LumaFrame {
    let (w, h) = (f.width as usize, f.height as usize);
    let (bw, bh) = (w * 2, h * 2);
    let mut data = Vec::with_capacity(bw * bh);
    for y in 0..bh {
        let sy = ((y as f32 + 0.5) / 2.0 - 0.5).clamp(0.0, (h - 1) as f32);
        let (y0, fy) = (sy as usize, sy.fract());
        let y1 = (y0 + 1).min(h - 1);
        for x in 0..bw {
            let sx = ((x as f32 + 0.5) / 2.0 - 0.5).clamp(0.0, (w - 1) as f32);
            let (x0, fx) = (sx as usize, sx.fract());
            let x1 = (x0 + 1).min(w - 1);
            let p = |x: usize, y: usize| f.data[y * w + x] as f32;
            let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
            let bot = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
            data.push((top * (1.0 - fy) + bot * fy + 0.5) as u8);
        }
    }
    LumaFrame {
        width: bw as u32,
        height: bh as u32,
        data,
    }
}

impl QrDecoder for Cascade {
    fn name(&self) -> &'static str {
        match self.effort {
            Effort::Live => "cascade",
            Effort::Still => "cascade-still",
        }
    }

    /// Live: the region around the last hit, then half size (also for light-on-dark codes, on
    /// the same binarisation), then full size only for the polarities whose finder patterns
    /// the half-size look saw, then zxing-cpp on the same area; where no finder was seen,
    /// zxing-cpp on the whole frame on one missed frame in three; rqrr (off by default) on
    /// one miss in `rqrr_every`. Still: full size trying harder, zxing-cpp, smaller and larger
    /// copies, then rqrr.
    /// The result is sorted nearest the centre first.
    fn decode(&mut self, frame: &LumaFrame) -> Vec<Read> {
        let mut out = vec![];
        if frame.width < 21
            || frame.height < 21
            || frame.data.len() < (frame.width * frame.height) as usize
        {
            return out;
        }
        match self.effort {
            Effort::Live => {
                self.live_passes(frame, &mut out);
            }
            Effort::Still => self.still_passes(frame, &mut out),
        }
        nearest_centre_first(&mut out, frame.width, frame.height);
        match out.first() {
            Some(hit) => {
                self.misses = 0;
                self.last_hit = Some(LastHit {
                    bounds: hit.bounds(),
                    age: 0,
                    inverted: hit.inverted,
                });
            }
            None => {
                if let Some(last) = &mut self.last_hit {
                    last.age += 1;
                }
            }
        }
        out
    }

    fn reset(&mut self) {
        self.last_hit = None;
        self.misses = 0;
    }
}
