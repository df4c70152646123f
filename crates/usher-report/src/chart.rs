//! A door's arrivals per 5 minutes as an SVG bar chart, drawn by `plotters`' SVG backend.
//! Text is SVG `<text>` (the viewer's font), so no font file is needed here.

use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;
use usher_core::look::Words;
use usher_core::report::Bucket;

/// The chart's size in CSS pixels.
pub const SIZE: (u32, u32) = (960, 240);

const BAR: RGBColor = RGBColor(31, 138, 76);
const GRID: RGBColor = RGBColor(222, 226, 230);

/// The local `HH:MM` of a bucket's label (`2026-11-28 19:05`).
fn clock(label: &str) -> &str {
    label.get(11..16).unwrap_or(label)
}

/// The `<svg>` element of one door's arrivals: a bar per bucket, the local time under it
/// (at most 12 labels), arrivals up the side, its words in `words`' language. An empty
/// series draws an empty frame.
pub fn arrivals_svg(buckets: &[Bucket], words: &Words) -> String {
    let axis = words.text("report-arrivals-axis", &[]);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        // Drawing into a string cannot fail for lack of room or a device; an error would be
        // plotters' own bug, and the chart is then left as far as it got.
        let _ = draw(&root, buckets, &axis);
        let _ = root.present();
    }
    let label = crate::html::escape(&words.text("report-arrivals", &[]));
    svg.replacen(
        "<svg ",
        &format!("<svg class=\"arrivals-chart\" role=\"img\" aria-label=\"{label}\" "),
        1,
    )
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    buckets: &[Bucket],
    axis: &str,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    root.fill(&WHITE)?;
    let n = buckets.len().max(1) as u32;
    let top = buckets.iter().map(|b| b.arrivals).max().unwrap_or(0).max(1) as u32;
    let top = top + top.div_ceil(10);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(44)
        .build_cartesian_2d((0..n).into_segmented(), 0..top)?;
    let every = (n as usize).div_ceil(12).max(1);
    chart
        .configure_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .disable_x_mesh()
        .x_labels(n as usize)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                let i = *i as usize;
                match buckets.get(i) {
                    Some(b) if i.is_multiple_of(every) => clock(&b.label).to_string(),
                    _ => String::new(),
                }
            }
            SegmentValue::Last => String::new(),
        })
        .y_desc(axis)
        .y_label_formatter(&|y| y.to_string())
        .axis_desc_style(("sans-serif", 14))
        .label_style(("sans-serif", 13))
        .draw()?;
    chart.draw_series(
        buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.arrivals > 0)
            .map(|(i, b)| {
                let i = i as u32;
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0),
                        (SegmentValue::Exact(i + 1), b.arrivals as u32),
                    ],
                    BAR.filled(),
                );
                bar.set_margin(0, 0, 2, 2);
                bar
            }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(label: &str, arrivals: u64) -> Bucket {
        Bucket {
            start: "2026-11-28T19:00:00Z".parse().unwrap(),
            label: label.to_string(),
            arrivals,
        }
    }

    #[test]
    fn the_chart_is_an_svg_with_a_bar_per_bucket_and_local_times_under_it() {
        let svg = arrivals_svg(
            &[
                bucket("2026-11-28 19:00", 3),
                bucket("2026-11-28 19:05", 0),
                bucket("2026-11-28 19:10", 7),
            ],
            &Words::english(),
        );
        assert!(svg.starts_with("<svg class=\"arrivals-chart\""), "{svg}");
        assert!(svg.contains(">\n19:00\n</text>"), "{svg}");
        assert!(svg.contains("19:10"), "{svg}");
        // A bar for each bucket with arrivals, in the bar colour; none for the empty one.
        let bars = svg.matches("fill=\"#1F8A4C\"").count();
        assert_eq!(bars, 2, "{svg}");
    }

    #[test]
    fn the_chart_speaks_the_report_language() {
        let buckets = [bucket("2026-11-28 19:00", 3)];
        let de = arrivals_svg(&buckets, &Words::of(usher_core::i18n::Language::German));
        assert!(de.contains("aria-label=\"Ankünfte je 5 Minuten\""), "{de}");
        assert!(de.contains("Ankünfte"), "{de}");
        assert!(!de.contains("Arrivals"), "{de}");
    }
}
