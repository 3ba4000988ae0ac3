//! Charts for the HTML summary, drawn here as inline SVG: no script, no network, printable, and
//! the tables beside them carry the same figures for a mail client that drops SVG.

use std::fmt::Write as _;

/// Escapes text for SVG.
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// One bar: its label, its length (≥ 0) and the text written after it.
#[derive(Clone, Debug)]
pub struct Bar {
    /// What the bar is (a rule, a region).
    pub label: String,
    /// Its value.
    pub value: f64,
    /// The value as written beside the bar (`12`, `37.5%`).
    pub shown: String,
    /// Its colour.
    pub colour: &'static str,
}

const WIDTH: f64 = 720.0;
const LABEL_WIDTH: f64 = 260.0;
const VALUE_WIDTH: f64 = 150.0;
const ROW: f64 = 22.0;

/// Cuts a label that would not fit beside the bars: 36 units, a CJK character taking two.
fn fit(label: &str) -> String {
    const MAX: usize = 36;
    let unit = |c: char| super::display_width(c.encode_utf8(&mut [0; 4]));
    if super::display_width(label) <= MAX {
        return label.to_owned();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in label.chars() {
        if used + unit(c) > MAX - 2 {
            break;
        }
        used += unit(c);
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// A horizontal bar chart, one bar per row, lengths relative to the longest.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let height = ROW * bars.len() as f64 + 36.0;
    let longest = bars
        .iter()
        .map(|bar| bar.value)
        .filter(|value| value.is_finite())
        .fold(0.0_f64, f64::max);
    let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-size=\"13\"><title>{}</title>",
        esc(title)
    );
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"16\" font-weight=\"bold\">{}</text>",
        esc(title)
    );
    for (index, bar) in bars.iter().enumerate() {
        let y = 30.0 + ROW * index as f64;
        let length = if longest > 0.0 && bar.value.is_finite() && bar.value > 0.0 {
            (bar.value / longest * span).max(1.0)
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{length:.1}\" height=\"{h}\" fill=\"{colour}\"><title>{full}：{shown}</title></rect><text x=\"{vx:.1}\" y=\"{ty}\">{shown}</text>",
            x = LABEL_WIDTH - 6.0,
            ty = y + 14.0,
            label = esc(&fit(&bar.label)),
            h = ROW - 6.0,
            colour = bar.colour,
            full = esc(&bar.label),
            shown = esc(&bar.shown),
            vx = LABEL_WIDTH + length + 4.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One line of a line chart: a name and its points (year, value).
#[derive(Clone, Debug)]
pub struct Line {
    /// Its name, in the legend.
    pub name: String,
    /// Its points, by year.
    pub points: Vec<(i32, f64)>,
}

const PALETTE: [&str; 8] = [
    "#2e6da4", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d", "#d35400",
];

/// A line chart over years; `percent` writes the axis as percentages of ratios.
pub fn lines(title: &str, lines: &[Line], percent: bool) -> String {
    let (width, height) = (WIDTH, 260.0);
    let (left, right, top, bottom) = (64.0, 170.0, 30.0, 30.0);
    let years: Vec<i32> = lines
        .iter()
        .flat_map(|line| line.points.iter().map(|&(year, _)| year))
        .collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return String::new();
    };
    let highest = lines
        .iter()
        .flat_map(|line| line.points.iter().map(|&(_, value)| value))
        .filter(|value| value.is_finite())
        .fold(0.0_f64, f64::max);
    let top_value = if highest > 0.0 { highest * 1.1 } else { 1.0 };
    let plot_width = width - left - right;
    let plot_height = height - top - bottom;
    let x = |year: i32| {
        if first == last {
            left + plot_width / 2.0
        } else {
            left + f64::from(year - first) / f64::from(last - first) * plot_width
        }
    };
    let y = |value: f64| top + plot_height - (value.max(0.0) / top_value) * plot_height;
    let label = |value: f64| {
        if percent {
            format!("{:.0}%", value * 100.0)
        } else {
            format!("{value:.0}")
        }
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"12\"><title>{}</title><text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"13\">{}</text>",
        esc(title),
        esc(title)
    );
    // Axes: four horizontal guides with their values, a tick per year.
    for step in 0..=4 {
        let value = top_value * f64::from(step) / 4.0;
        let gy = y(value);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + plot_width,
            left - 4.0,
            gy + 4.0,
            label(value)
        );
    }
    for year in first..=last {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
            x(year),
            height - 10.0
        );
    }
    for (index, line) in lines.iter().enumerate() {
        let colour = PALETTE[index % PALETTE.len()];
        let mut points: Vec<&(i32, f64)> = line
            .points
            .iter()
            .filter(|(_, value)| value.is_finite())
            .collect();
        points.sort_by_key(|(year, _)| *year);
        let path: Vec<String> = points
            .iter()
            .map(|&&(year, value)| format!("{:.1},{:.1}", x(year), y(value)))
            .collect();
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
            path.join(" ")
        );
        for &&(year, value) in &points {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{} {year}：{}</title></circle>",
                x(year),
                y(value),
                esc(&line.name),
                label(value)
            );
        }
        let ly = top + 14.0 * index as f64;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            width - right + 10.0,
            ly,
            width - right + 24.0,
            ly + 9.0,
            esc(&fit(&line.name))
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_longest_and_escape_labels() {
        let svg = bars(
            "各规则",
            &[
                Bar {
                    label: "a<b".to_owned(),
                    value: 2.0,
                    shown: "2".to_owned(),
                    colour: "#000",
                },
                Bar {
                    label: "c".to_owned(),
                    value: 1.0,
                    shown: "1".to_owned(),
                    colour: "#000",
                },
            ],
        );
        assert!(svg.contains("a&lt;b"));
        assert!(svg.contains("width=\"310.0\""), "{svg}");
        assert!(svg.contains("width=\"155.0\""), "{svg}");
    }

    #[test]
    fn a_line_chart_without_points_is_nothing() {
        assert_eq!(lines("x", &[], false), "");
    }
}
