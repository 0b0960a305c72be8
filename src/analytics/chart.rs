//! Charts of pipeline metrics as SVG: the funnel of stages and the time spent in each.

use crate::analytics::metrics::Metrics;
use crate::model::Playbook;

/// Text safe inside SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fixed(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// The funnel (deals that entered each stage, and the share that moved forward) and the time in
/// each stage (mean and median days per visit), as one SVG image.
///
/// # Example
///
/// ```
/// use stagegate::analytics::MetricsBook;
/// use stagegate::Playbook;
/// let playbook = Playbook::from_yaml("stagegate: 1\nid: t\nversion: 1\nstages: [{id: open}]\n", "t.yaml").unwrap();
/// let metrics = MetricsBook::new(&playbook, stagegate::parse_time("2026-11-27").unwrap(), None).finish();
/// let svg = stagegate::analytics::funnel_svg(&metrics, &playbook, "en");
/// assert!(svg.starts_with("<svg"));
/// ```
pub fn funnel_svg(metrics: &Metrics, playbook: &Playbook, lang: &str) -> String {
    let korean = crate::support::lang::MessageLanguage::of(lang).is_korean();
    let words = |ko: &'static str, en: &'static str| if korean { ko } else { en };
    let default = playbook.default_language();
    // The main path only: lost and churned stages are outcomes, not steps of the funnel.
    let rows: Vec<(String, &crate::analytics::metrics::StageMetrics)> = playbook
        .stages
        .iter()
        .zip(&metrics.stages.0)
        .filter(|(stage, _)| !stage.is_terminal())
        .map(|(stage, (_, figures))| (stage.title_in(lang, default).to_owned(), figures))
        .collect();
    let row_height = 56.0;
    let top = 96.0;
    let height = top + row_height * rows.len() as f64 + 40.0;
    // Room for the longest stage title on the left (wide characters take about twice the room).
    let label = rows
        .iter()
        .map(|(name, _)| {
            name.chars()
                .map(|c| if c.is_ascii() { 7.4 } else { 13.5 })
                .sum::<f64>()
        })
        .fold(120.0, f64::max);
    let (funnel_x, funnel_width) = (label + 32.0, 380.0);
    let (time_x, time_width) = (funnel_x + funnel_width + 70.0, 280.0);
    let total = time_x + time_width + 40.0;
    let most = rows
        .iter()
        .map(|(_, f)| f.entered)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let longest = rows
        .iter()
        .filter_map(|(_, f)| {
            f.days
                .mean
                .into_iter()
                .chain(f.days.median)
                .reduce(f64::max)
        })
        .fold(1.0, f64::max);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"{height}\" viewBox=\"0 0 {total} {height}\" \
         font-family=\"'Noto Sans CJK KR', 'Apple SD Gothic Neo', 'Malgun Gothic', Helvetica, Arial, sans-serif\">\n"
    );
    svg.push_str(&format!(
        "<rect width=\"{total}\" height=\"{height}\" fill=\"#ffffff\"/>\n"
    ));
    let title = format!(
        "{} · {} {} · {} {} · {} {}",
        playbook.title(lang).unwrap_or(playbook.id()),
        words("거래", "deals"),
        metrics.deals,
        words("성사", "won"),
        metrics.won,
        words("승률", "win rate"),
        metrics
            .win_rate
            .map_or("-".to_owned(), |r| format!("{}%", fixed(r * 100.0)))
    );
    svg.push_str(&format!("<text x=\"20\" y=\"34\" font-size=\"20\" font-weight=\"bold\" fill=\"#263238\">{}</text>\n", escape(&title)));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"76\" font-size=\"14\" font-weight=\"bold\" fill=\"#37474f\" text-anchor=\"middle\">{}</text>\n",
        funnel_x + funnel_width / 2.0,
        words("퍼널: 진입한 거래와 전진 비율", "Funnel: deals that entered, and the share that moved forward")
    ));
    svg.push_str(&format!(
        "<text x=\"{}\" y=\"76\" font-size=\"14\" font-weight=\"bold\" fill=\"#37474f\" text-anchor=\"middle\">{}</text>\n",
        time_x + time_width / 2.0,
        words("단계 체류일 (막대: 평균, 선: 중앙값)", "Days per visit (bar: mean, line: median)")
    ));
    for (i, (name, figures)) in rows.iter().enumerate() {
        let y = top + row_height * i as f64;
        let bar = (figures.entered as f64 / most * funnel_width).max(2.0);
        let x = funnel_x + (funnel_width - bar) / 2.0;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#263238\" text-anchor=\"end\">{}</text>\n",
            funnel_x - 12.0,
            y + 22.0,
            escape(name)
        ));
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"32\" rx=\"4\" fill=\"#1e88e5\"><title>{}: {}</title></rect>\n",
            escape(name),
            figures.entered
        ));
        // The count sits inside a wide bar, beside a narrow one.
        let (label_x, anchor, colour) = if bar > 60.0 {
            (funnel_x + funnel_width / 2.0, "middle", "#ffffff")
        } else {
            (x + bar + 6.0, "start", "#0d47a1")
        };
        svg.push_str(&format!(
            "<text x=\"{label_x:.1}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"{colour}\" text-anchor=\"{anchor}\">{}</text>\n",
            y + 21.0,
            figures.entered
        ));
        if let Some(conversion) = figures.conversion {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#546e7a\" text-anchor=\"middle\">↓ {}% {}</text>\n",
                funnel_x + funnel_width / 2.0,
                y + 47.0,
                fixed(conversion * 100.0),
                words("전진", "moved forward")
            ));
        }
        if let Some(mean) = figures.days.mean {
            let length = (mean / longest * time_width).max(2.0);
            svg.push_str(&format!(
                "<rect x=\"{time_x}\" y=\"{:.1}\" width=\"{length:.1}\" height=\"22\" rx=\"3\" fill=\"#fb8c00\"><title>{}: {} d</title></rect>\n",
                y + 5.0,
                escape(name),
                fixed(mean)
            ));
            if let Some(median) = figures.days.median {
                let at = time_x + median / longest * time_width;
                svg.push_str(&format!(
                    "<line x1=\"{at:.1}\" y1=\"{:.1}\" x2=\"{at:.1}\" y2=\"{:.1}\" stroke=\"#263238\" stroke-width=\"2\"/>\n",
                    y + 1.0,
                    y + 31.0
                ));
            }
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#546e7a\">{} {} · {} {} ({} {})</text>\n",
                time_x,
                y + 44.0,
                words("평균", "mean"),
                fixed(mean),
                words("중앙값", "median"),
                figures.days.median.map_or("-".to_owned(), fixed),
                figures.days.count,
                words("회 방문", "visits")
            ));
        } else {
            svg.push_str(&format!(
                "<text x=\"{time_x}\" y=\"{}\" font-size=\"11\" fill=\"#90a4ae\">{}</text>\n",
                y + 21.0,
                words("끝난 방문 없음", "no finished visit")
            ));
        }
    }
    svg.push_str("</svg>\n");
    svg
}
