//! The USB scanner's keyboard layout (`usher_core::scanner_layout`) for the window: the one
//! the page reads wedge bursts with, Setup's calibration code as a QR code, teaching the
//! layout from a burst of that code, and forgetting it. Kept in this laptop's own data folder
//! (the scanner is the laptop's, whichever event or demo the door is open on).

use super::Station;
use crate::StationError;
use serde::Serialize;
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
    let code = qrcode::QrCode::with_error_correction_level(CALIBRATION_TEXT, qrcode::EcLevel::M)
        .expect("the calibration text fits a QR code");
    code.render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build()
}

impl Station {
    /// The layout the page reads a wedge scanner's bursts with: the learned one, else US (a
    /// damaged stored one is US with a warning, which is logged).
    pub fn scanner_layout(&self) -> Result<Kept, StationError> {
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let kept = scanner_layout::load(store.conn())?;
        if let Some(warning) = &kept.warning {
            tracing::warn!(%warning, "the stored scanner layout cannot be read; reading US");
        }
        Ok(kept)
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
    pub fn teach_scanner(&self, presses: &[Press]) -> Result<Kept, StationError> {
        self.require_setup_open()?;
        let layout = scanner_layout::learn(presses).inspect_err(|e| {
            tracing::warn!(error = %e, "a calibration scan did not align");
        })?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let kept = scanner_layout::save(store.conn(), &layout)?;
        tracing::info!(
            layout = kept.name.unwrap_or("its own"),
            "scanner layout taught"
        );
        Ok(kept)
    }

    /// Back to reading the scanner as a US keyboard (behind the door PIN).
    pub fn forget_scanner_layout(&self) -> Result<Kept, StationError> {
        self.require_setup_open()?;
        let (store, _) = usher_sync::token::open_store(self.tokens.clone(), &self.home)?;
        let kept = scanner_layout::forget(store.conn())?;
        tracing::info!("scanner layout forgotten: reading US");
        Ok(kept)
    }
}
