//! Printable tickets (PNG): the event, the guest's name and admission, and the QR code, big
//! enough to scan from paper or a phone screen with a real webcam.

use std::path::{Path, PathBuf};
use usher_camera::synth::qr_modules;

const WIDTH: u32 = 600;
const HEIGHT: u32 = 860;
const MARGIN: u32 = 40;

/// One ticket as a grey image.
pub fn render(event: &str, name: &str, admission: &str, ticket_id: &str) -> image::GrayImage {
    let mut img = image::GrayImage::from_pixel(WIDTH, HEIGHT, image::Luma([255]));
    text(&mut img, MARGIN, MARGIN, 3, event);
    text(&mut img, MARGIN, MARGIN + 50, 4, name);
    text(&mut img, MARGIN, MARGIN + 100, 3, admission);
    if let Some((size, modules)) = qr_modules(ticket_id.as_bytes()) {
        // Four modules of quiet zone on each side, the rest of the width for the code.
        let px = (WIDTH - 2 * MARGIN) / (size as u32 + 8);
        let left = (WIDTH - px * size as u32) / 2;
        let top = 200;
        for (i, dark) in modules.iter().enumerate() {
            if *dark {
                let (x, y) = ((i % size) as u32, (i / size) as u32);
                fill(&mut img, left + x * px, top + y * px, px, px, 0);
            }
        }
    }
    text(&mut img, MARGIN, HEIGHT - MARGIN - 16, 2, ticket_id);
    img
}

/// Writes one PNG per ticket into `folder`; returns the files.
pub fn write_all(
    folder: &Path,
    event: &str,
    tickets: &[(String, String, String)],
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(folder)?;
    tickets
        .iter()
        .enumerate()
        .map(|(i, (id, name, admission))| {
            let path = folder.join(format!("ticket-{:02}-{}.png", i + 1, slug(name)));
            render(event, name, admission, id)
                .save(&path)
                .map_err(std::io::Error::other)?;
            Ok(path)
        })
        .collect()
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn fill(img: &mut image::GrayImage, x: u32, y: u32, w: u32, h: u32, level: u8) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, image::Luma([level]));
        }
    }
}

/// Draws `s` with the 8x8 bitmap font at `scale`; characters outside Latin-1 show as `?` and
/// the line is cut at the image's edge.
fn text(img: &mut image::GrayImage, x: u32, y: u32, scale: u32, s: &str) {
    use font8x8::UnicodeFonts;
    let advance = 8 * scale;
    for (i, c) in s.chars().enumerate() {
        let cx = x + i as u32 * advance;
        if cx + advance > img.width() - MARGIN / 2 {
            break;
        }
        let glyph = font8x8::BASIC_FONTS
            .get(c)
            .or_else(|| font8x8::LATIN_FONTS.get(c))
            .or_else(|| font8x8::BASIC_FONTS.get('?'))
            .unwrap_or([0; 8]);
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..8 {
                if bits & (1 << col) != 0 {
                    fill(
                        img,
                        cx + col * scale,
                        y + row as u32 * scale,
                        scale,
                        scale,
                        0,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use usher_camera::decode::{Cascade, QrDecoder};
    use usher_camera::LumaFrame;

    #[test]
    fn a_printed_ticket_scans_back_to_its_ticket_id() {
        let id = "tkt_01jps5cgsg0s32w2pr73vbccde";
        let img = render("Demo Night", "Ada Lovelace", "General Admission", id);
        let frame = LumaFrame::from_image(image::DynamicImage::ImageLuma8(img));
        let reads = Cascade::still().decode(&frame);
        assert_eq!(reads.first().map(|r| r.text.as_str()), Some(id));
    }

    #[test]
    fn names_become_safe_file_names() {
        assert_eq!(slug("Zoë O'Brien"), "zo--o-brien");
    }
}
