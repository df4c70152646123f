//! Camera pixels to 8-bit luma, the only thing the decoders look at.
//!
//! Every conversion writes into a caller's buffer, so a capture loop reuses one allocation per
//! frame. YUYV and NV12 already carry luma as their Y samples: those are picked out, never
//! converted through RGB. MJPEG is decoded by zune-jpeg straight to its Y channel, which skips
//! chroma upsampling and colour conversion altogether.

use image::DynamicImage;
use std::path::Path;

/// One grey frame, `width * height` bytes, row after row.
#[derive(Clone, PartialEq, Eq)]
pub struct LumaFrame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The grey levels, 0 black to 255 white, row after row.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for LumaFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LumaFrame({}x{})", self.width, self.height)
    }
}

/// Why pixels could not be turned into luma.
#[derive(Debug, thiserror::Error)]
pub enum LumaError {
    /// The camera's buffer is smaller than its frame size says.
    #[error("a {width}x{height} {format} frame needs {needed} bytes, got {got}")]
    ShortBuffer {
        /// The pixel format, e.g. `YUYV`.
        format: &'static str,
        /// The frame's width in pixels.
        width: u32,
        /// The frame's height in pixels.
        height: u32,
        /// Bytes a frame of that size needs.
        needed: usize,
        /// Bytes the buffer has.
        got: usize,
    },
    /// An MJPEG frame that does not decode, with the decoder's words.
    #[error("the camera sent a JPEG frame that cannot be decoded: {0}")]
    Jpeg(String),
    /// An image file (or a folder of them) that cannot be read.
    #[error("cannot read image {path}: {reason}")]
    Image {
        /// The file or folder (all the paths given, joined, when none holds an image).
        path: String,
        /// Why it cannot be read.
        reason: String,
    },
}

impl LumaFrame {
    /// A frame of one grey level.
    pub fn filled(width: u32, height: u32, level: u8) -> LumaFrame {
        LumaFrame {
            width,
            height,
            data: vec![level; width as usize * height as usize],
        }
    }

    /// The grey level at column `x`, row `y`.
    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.data[y as usize * self.width as usize + x as usize]
    }

    /// Half the size in each direction, each pixel the mean of a 2x2 block: the cascade's cheap
    /// first pass. Writes into `out`, reusing its allocation.
    pub fn half_into(&self, out: &mut LumaFrame) {
        let (w, h) = (self.width as usize / 2, self.height as usize / 2);
        out.width = w as u32;
        out.height = h as u32;
        out.data.clear();
        out.data.reserve(w * h);
        let stride = self.width as usize;
        for y in 0..h {
            let r0 = &self.data[2 * y * stride..][..2 * w];
            let r1 = &self.data[(2 * y + 1) * stride..][..2 * w];
            out.data
                .extend(r0.chunks_exact(2).zip(r1.chunks_exact(2)).map(|(a, b)| {
                    ((a[0] as u16 + a[1] as u16 + b[0] as u16 + b[1] as u16 + 2) >> 2) as u8
                }));
        }
    }

    /// As [`LumaFrame::half_into`], into a new frame.
    pub fn half(&self) -> LumaFrame {
        let mut out = LumaFrame::filled(0, 0, 0);
        self.half_into(&mut out);
        out
    }

    /// The same picture with dark and light swapped (a phone in dark mode).
    pub fn inverted(&self) -> LumaFrame {
        LumaFrame {
            width: self.width,
            height: self.height,
            data: self.data.iter().map(|&v| 255 - v).collect(),
        }
    }

    /// Reads a still image (png, jpg, webp) from disk.
    pub fn open(path: &Path) -> Result<LumaFrame, LumaError> {
        let img = image::ImageReader::open(path)
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| LumaError::Image {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?
            .decode()
            .map_err(|e| LumaError::Image {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        Ok(LumaFrame::from_image(img))
    }

    /// Any decoded image to luma (Rec. 601 weights, as the JPEG Y channel uses). Transparent
    /// pixels are composited over white, as a viewer would show them.
    pub fn from_image(img: DynamicImage) -> LumaFrame {
        let has_alpha = img.color().has_alpha();
        let (width, height) = (img.width(), img.height());
        let data = if has_alpha {
            let rgba = img.into_rgba8();
            rgba.pixels()
                .map(|p| {
                    let [r, g, b, a] = p.0;
                    let y = rgb_luma(r, g, b) as u32;
                    ((y * a as u32 + 255 * (255 - a as u32) + 127) / 255) as u8
                })
                .collect()
        } else {
            match img {
                DynamicImage::ImageLuma8(g) => g.into_raw(),
                other => {
                    let rgb = other.into_rgb8();
                    let mut out = Vec::new();
                    rgb_to_luma(rgb.as_raw(), width, height, &mut out).expect("sizes match");
                    out
                }
            }
        };
        LumaFrame {
            width,
            height,
            data,
        }
    }

    /// The frame as a JPEG (camera preview).
    pub fn to_jpeg(&self, quality: u8) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() / 8);
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
        encoder
            .encode(
                &self.data,
                self.width,
                self.height,
                image::ExtendedColorType::L8,
            )
            .expect("an in-memory grey frame always encodes");
        out
    }

    /// The frame as an `image` grey image (a copy).
    pub fn to_image(&self) -> image::GrayImage {
        image::GrayImage::from_raw(self.width, self.height, self.data.clone()).expect("sizes match")
    }
}

/// Rec. 601 luma in integer arithmetic (weights 77/150/29 out of 256).
#[inline]
pub fn rgb_luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * r as u32 + 150 * g as u32 + 29 * b as u32 + 128) >> 8) as u8
}

fn check(
    format: &'static str,
    width: u32,
    height: u32,
    needed: usize,
    got: usize,
) -> Result<(), LumaError> {
    if got < needed {
        return Err(LumaError::ShortBuffer {
            format,
            width,
            height,
            needed,
            got,
        });
    }
    Ok(())
}

/// Packed YUYV 4:2:2 (Y0 U Y1 V): the Y samples are every other byte.
pub fn yuyv_to_luma(
    src: &[u8],
    width: u32,
    height: u32,
    out: &mut Vec<u8>,
) -> Result<(), LumaError> {
    let n = width as usize * height as usize;
    check("YUYV", width, height, n * 2, src.len())?;
    out.clear();
    out.extend(src[..n * 2].iter().step_by(2));
    Ok(())
}

/// YUYV straight to a half-size luma frame: one read of the camera buffer gives the cascade's
/// downscaled pass without a full-size frame in between.
pub fn yuyv_to_half_luma(
    src: &[u8],
    width: u32,
    height: u32,
    out: &mut Vec<u8>,
) -> Result<(), LumaError> {
    let n = width as usize * height as usize;
    check("YUYV", width, height, n * 2, src.len())?;
    let (w, h) = (width as usize / 2, height as usize / 2);
    let stride = width as usize * 2;
    out.clear();
    out.reserve(w * h);
    for y in 0..h {
        let r0 = &src[2 * y * stride..][..stride];
        let r1 = &src[(2 * y + 1) * stride..][..stride];
        // Each 4-byte group holds two horizontal Y samples: Y0 at 0, Y1 at 2.
        out.extend(
            r0.chunks_exact(4)
                .zip(r1.chunks_exact(4))
                .take(w)
                .map(|(a, b)| {
                    ((a[0] as u16 + a[2] as u16 + b[0] as u16 + b[2] as u16 + 2) >> 2) as u8
                }),
        );
    }
    Ok(())
}

/// NV12 (and any planar YUV): the Y plane is the first `width * height` bytes.
pub fn nv12_to_luma(
    src: &[u8],
    width: u32,
    height: u32,
    out: &mut Vec<u8>,
) -> Result<(), LumaError> {
    let n = width as usize * height as usize;
    check("NV12", width, height, n, src.len())?;
    out.clear();
    out.extend_from_slice(&src[..n]);
    Ok(())
}

/// Packed 8-bit RGB.
pub fn rgb_to_luma(
    src: &[u8],
    width: u32,
    height: u32,
    out: &mut Vec<u8>,
) -> Result<(), LumaError> {
    packed_to_luma("RGB", [0, 1, 2], src, width, height, out)
}

/// Packed 8-bit BGR.
pub fn bgr_to_luma(
    src: &[u8],
    width: u32,
    height: u32,
    out: &mut Vec<u8>,
) -> Result<(), LumaError> {
    packed_to_luma("BGR", [2, 1, 0], src, width, height, out)
}

/// Three bytes a pixel, red, green and blue at the offsets `rgb`.
fn packed_to_luma(
    name: &'static str,
    [r, g, b]: [usize; 3],
    src: &[u8],
    width: u32,
    height: u32,
    out: &mut Vec<u8>,
) -> Result<(), LumaError> {
    let n = width as usize * height as usize;
    check(name, width, height, n * 3, src.len())?;
    out.clear();
    out.extend(
        src[..n * 3]
            .chunks_exact(3)
            .map(|p| rgb_luma(p[r], p[g], p[b])),
    );
    Ok(())
}

/// An MJPEG frame (a JPEG, often without its Huffman tables) decoded to its Y channel only.
/// Returns the frame's size.
pub fn mjpeg_to_luma(src: &[u8], out: &mut Vec<u8>) -> Result<(u32, u32), LumaError> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(src), options);
    dec.decode_headers()
        .map_err(|e| LumaError::Jpeg(format!("{e:?}")))?;
    let (w, h) = dec
        .dimensions()
        .ok_or_else(|| LumaError::Jpeg("no frame header".into()))?;
    let size = dec
        .output_buffer_size()
        .ok_or_else(|| LumaError::Jpeg("frame too large".into()))?;
    out.clear();
    out.resize(size, 0);
    dec.decode_into(out)
        .map_err(|e| LumaError::Jpeg(format!("{e:?}")))?;
    if size != w * h {
        // A decoder that ignored the luma request: keep the first channel of each pixel.
        let comps = size / (w * h);
        let y: Vec<u8> = out.iter().step_by(comps.max(1)).copied().collect();
        *out = y;
    }
    Ok((w as u32, h as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_keeps_the_y_samples() {
        // 4x1: Y0 U Y1 V Y2 U Y3 V
        let src = [10, 128, 20, 128, 30, 0, 40, 255];
        let mut out = vec![99; 7];
        yuyv_to_luma(&src, 4, 1, &mut out).unwrap();
        assert_eq!(out, [10, 20, 30, 40]);
    }

    #[test]
    fn yuyv_half_averages_2x2_blocks_of_y() {
        // 4x2 frame; row 0 Y = 0, 100, 200, 40; row 1 Y = 100, 0, 0, 40.
        let src = [0, 1, 100, 2, 200, 3, 40, 4, 100, 5, 0, 6, 0, 7, 40, 8];
        let mut out = vec![];
        yuyv_to_half_luma(&src, 4, 2, &mut out).unwrap();
        assert_eq!(out, [50, 70]);
        let mut full = vec![];
        yuyv_to_luma(&src, 4, 2, &mut full).unwrap();
        let frame = LumaFrame {
            width: 4,
            height: 2,
            data: full,
        };
        assert_eq!(frame.half().data, out);
    }

    #[test]
    fn short_buffers_are_refused_not_read_past() {
        let mut out = vec![];
        let e = yuyv_to_luma(&[0; 7], 2, 2, &mut out).unwrap_err();
        assert!(e.to_string().contains("needs 8 bytes, got 7"), "{e}");
        assert!(rgb_to_luma(&[0; 5], 1, 2, &mut out).is_err());
        assert!(nv12_to_luma(&[0; 3], 2, 2, &mut out).is_err());
    }

    #[test]
    fn rgb_and_bgr_use_rec601_weights() {
        let mut out = vec![];
        rgb_to_luma(
            &[255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255],
            5,
            1,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, [255, 0, 77, 149, 29]);
        bgr_to_luma(&[0, 0, 255], 1, 1, &mut out).unwrap();
        assert_eq!(out, [77]);
    }

    #[test]
    fn nv12_is_its_y_plane() {
        let mut src = vec![7u8; 6];
        src[..4].copy_from_slice(&[1, 2, 3, 4]);
        let mut out = vec![];
        nv12_to_luma(&src, 2, 2, &mut out).unwrap();
        assert_eq!(out, [1, 2, 3, 4]);
    }

    #[test]
    fn mjpeg_decodes_to_luma_only() {
        // A 32x16 grey gradient, encoded as a colour JPEG the way a webcam sends it.
        let (w, h) = (32u32, 16u32);
        let rgb = image::RgbImage::from_fn(w, h, |x, _| {
            let v = (x * 8) as u8;
            image::Rgb([v, v, v])
        });
        let mut jpeg = vec![];
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
            .encode_image(&rgb)
            .unwrap();
        let mut out = vec![];
        assert_eq!(mjpeg_to_luma(&jpeg, &mut out).unwrap(), (w, h));
        assert_eq!(out.len(), (w * h) as usize);
        for x in 0..w {
            let got = out[x as usize] as i32;
            assert!((got - (x * 8) as i32).abs() <= 6, "x={x}: {got}");
        }
        assert!(matches!(
            mjpeg_to_luma(b"not a jpeg", &mut out),
            Err(LumaError::Jpeg(_))
        ));
    }

    #[test]
    fn transparent_pixels_are_white() {
        let img = image::RgbaImage::from_raw(2, 1, vec![0, 0, 0, 255, 0, 0, 0, 0]).unwrap();
        let f = LumaFrame::from_image(DynamicImage::ImageRgba8(img));
        assert_eq!(f.data, [0, 255]);
    }
}
