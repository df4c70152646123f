//! zxing-cpp (C++, through the `zxing-cpp` crate, built with cmake): the cascade's late
//! stage and the benchmark's row for it (the header of `decode/mod.rs` has the measured table).

use super::{Pass, Placement, QrDecoder, Read, SAME};
use crate::luma::LumaFrame;

/// Images no larger than this either way are small: see [`zxing_reads`].
const SMALL: u32 = 800;

/// zxing-cpp (3.1, the C++ library through its own Rust wrapper) on one image, QR codes only,
/// with its defaults: try harder, rotated, inverted and downscaled copies. Its finder search
/// and sampling grid differ from rxing's: it reads blurred, tilted and low-contrast codes
/// rxing gives up on (measured: the header above). Its C API catches the library's
/// exceptions and reports them as an error, which is no read here.
pub(super) fn zxing_reads(
    luma: &[u8],
    width: u32,
    height: u32,
    at: Placement,
    pass: Pass,
    out: &mut Vec<Read>,
) -> bool {
    let Ok(image) =
        zxingcpp::ImageView::from_slice(luma, width, height, zxingcpp::ImageFormat::Lum)
    else {
        return false;
    };
    let mut found = zxingcpp::read()
        .formats(zxingcpp::BarcodeFormat::QRCode)
        .from(image.clone())
        .unwrap_or_default();
    // A small image (a cropped photo, a 640x480 webcam) gets a second look with one
    // threshold for the whole image: it reads codes whose local-average binarisation breaks
    // up (measured on the real-photo corpus: 3 more) and costs little at that size.
    if found.is_empty() && width <= SMALL && height <= SMALL {
        found = zxingcpp::read()
            .formats(zxingcpp::BarcodeFormat::QRCode)
            .binarizer(zxingcpp::Binarizer::GlobalHistogram)
            .from(image)
            .unwrap_or_default();
    }
    let before = out.len();
    for b in found {
        let p = b.position();
        let place =
            |q: zxingcpp::PointI| (at.dx + q.x as f32 * at.scale, at.dy + q.y as f32 * at.scale);
        out.push(Read {
            text: b.text(),
            corners: vec![
                place(p.top_left),
                place(p.top_right),
                place(p.bottom_right),
                place(p.bottom_left),
            ],
            inverted: b.is_inverted(),
            pass,
        });
    }
    out.len() > before
}

/// zxing-cpp alone, as the cascade calls it on a whole frame: the benchmark's row for this
/// stage.
#[derive(Default)]
pub struct ZxingDecoder;

impl QrDecoder for ZxingDecoder {
    fn name(&self) -> &'static str {
        "zxing-cpp"
    }
    fn decode(&mut self, frame: &LumaFrame) -> Vec<Read> {
        let mut out = vec![];
        if frame.data.len() >= (frame.width * frame.height) as usize {
            zxing_reads(
                &frame.data,
                frame.width,
                frame.height,
                SAME,
                Pass::Zxing,
                &mut out,
            );
        }
        out
    }
}
