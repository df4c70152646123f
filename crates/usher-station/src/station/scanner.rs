//! The USB scanner's keyboard layout (`usher_core::scanner_layout`) for the window: the one
//! the page reads wedge bursts with, Setup's calibration code as a QR code, teaching the
//! layout from a burst of that code, and forgetting it. Kept in this laptop's own data folder
//! (the scanner is the laptop's, whichever event or demo the door is open on).

use super::Station;
use crate::StationError;
use serde::Serialize;
use usher_core::i18n::Said;
use usher_core::scanner_layout::{self, Kept, Press, CALIBRATION_TEXT};

/// Setup's calibration code: its text and the QR code of it, as an SVG document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Calibration {
    /// [`CALIBRATION_TEXT`].
    pub text: &'static str,
    /// A QR code of `text` (SVG, black on white, with its quiet zone).
    pub svg: String,
}

/// The calibration code as a QR code: an SVG document, drawn by the `qrcode` crate.
pub fn calibration_svg() -> String {
    qr_svg(CALIBRATION_TEXT)
}

/// A QR code of `text` (short: a code, a join text) as an SVG document, black on white with
/// its quiet zone, drawn by the `qrcode` crate.
pub(super) fn qr_svg(text: &str) -> String {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .expect("a short text fits a QR code");
    code.render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build()
}

/// The scanner layout as the page receives it: the core's [`Kept`], with the layout's name
/// and the warning worded in the door's language.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScannerLayoutView {
    /// The layout, its id and the calibration prefix.
    #[serde(flatten)]
    pub kept: Kept,
    /// The known layout's name ("Deutsch (QWERTZ)"), or `None` for one of its own.
    pub name: Option<String>,
    /// Why the kept layout is not used, when it is not.
    pub warning: Option<String>,
}

impl Station {
    fn scanner_view(&self, kept: Kept) -> ScannerLayoutView {
        let words = self.words();
        ScannerLayoutView {
            name: kept.name(&words),
            warning: kept.warning_in(&words),
            kept,
        }
    }

    /// The layout the page reads a wedge scanner's bursts with: the learned one, else US. A
    /// damaged stored one, or a data folder that will not open (a locked keychain), is US with
    /// a warning, which is logged: the door still reads US scanners.
    pub fn scanner_layout(&self) -> Result<ScannerLayoutView, StationError> {
        let kept = match usher_sync::token::open_store(self.tokens.clone(), &self.home) {
            Ok((store, _)) => scanner_layout::load(store.conn())?,
            Err(e) => Kept::us_because(Said::new("layout-unreadable").with("why", e.said())),
        };
        if let Some(warning) = &kept.warning {
            tracing::warn!(%warning, "the stored scanner layout cannot be read; reading US");
        }
        Ok(self.scanner_view(kept))
    }

    /// Setup's calibration code and its QR code.
    pub fn scanner_calibration(&self) -> Calibration {
        Calibration {
            text: CALIBRATION_TEXT,
            svg: calibration_svg(),
        }
    }

    /// Learns the scanner's layout from its burst of the calibration code and keeps it
    /// (behind the door PIN, as the rest of Setup).
    pub fn teach_scanner(&self, presses: &[Press]) -> Result<ScannerLayoutView, StationError> {
        self.require_setup_open()?;
        let layout = scanner_layout::learn(presses).inspect_err(|e| {
            tracing::warn!(error = %e, "a calibration scan did not align");
        })?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let kept = scanner_layout::save(store.conn(), &layout)?;
        tracing::info!(
            layout = kept.layout.unwrap_or("its own"),
            "scanner layout taught"
        );
        Ok(self.scanner_view(kept))
    }

    /// Back to reading the scanner as a US keyboard (behind the door PIN).
    pub fn forget_scanner_layout(&self) -> Result<ScannerLayoutView, StationError> {
        self.require_setup_open()?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let kept = scanner_layout::forget(store.conn())?;
        tracing::info!("scanner layout forgotten: reading US");
        Ok(self.scanner_view(kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_camera::decode::RxingDecoder;
    use usher_camera::{LumaFrame, QrDecoder};

    /// Paints the SVG's dark rectangles (`M{x} {y}h{w}v{h}…`, the `qrcode` crate's shape) at
    /// `scale` pixels per unit on white.
    fn rasterize(svg: &str, scale: f64) -> LumaFrame {
        let number = |s: &str| {
            s.parse::<f64>()
                .unwrap_or_else(|_| panic!("{s:?} in {svg}"))
        };
        let mut rects = vec![];
        let path = svg.split(" d=\"").nth(1).expect("one path of dark modules");
        for step in path.split('M').skip(1) {
            let (xy, rest) = step.split_once('h').expect("M x y h…");
            let (x, y) = xy.split_once(' ').expect("M x y");
            let (w, rest) = rest.split_once('v').expect("h w v…");
            let h = rest.split(['H', '"']).next().unwrap();
            rects.push((number(x), number(y), number(w), number(h)));
        }
        // The quiet zone on the right as wide as the one on the left.
        let left = rects.iter().map(|r| r.0).fold(f64::MAX, f64::min);
        let side = rects.iter().map(|r| r.0 + r.2).fold(0.0, f64::max) + left;
        let px = (side * scale) as u32;
        let mut frame = LumaFrame::filled(px, px, 255);
        for (x, y, w, h) in rects {
            for yy in (y * scale) as u32..((y + h) * scale) as u32 {
                for xx in (x * scale) as u32..((x + w) * scale) as u32 {
                    frame.data[(yy * px + xx) as usize] = 0;
                }
            }
        }
        frame
    }

    #[test]
    fn the_calibration_qr_code_reads_back_as_the_calibration_text() {
        let svg = calibration_svg();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
        let frame = rasterize(&svg, 2.0);
        let reads = RxingDecoder.decode(&frame);
        let texts: Vec<&str> = reads.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, [CALIBRATION_TEXT]);
        // The text is no ticket: scanned without teaching, it is refused, never admitted.
        assert!(usher_core::code::parse(CALIBRATION_TEXT.as_bytes()).is_err());
    }
}
