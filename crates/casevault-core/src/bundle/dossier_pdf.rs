//! `dossier.pdf`: the same [`Dossier`] as `dossier.html`, set on A4 pages
//! for a lawyer to file: each section on a new page, page numbers, and a
//! verification page at the end (the organisation key's fingerprint, the
//! bundle id and every file's SHA-256).
//!
//! Written with `krilla` (see docs/ARCHITECTURE.md for why). The fonts
//! are DejaVu Sans, embedded and subset to the glyphs used, so Cyrillic
//! and the Kazakh letters print on any reader without installed fonts.
//! Lines are broken here by the fonts' advance widths: dossier text is
//! left to right, in one script per word, which is all this needs.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use super::dossier::{Block, Dossier, Span, Style, page_label};
use crate::{Error, Result};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.0;
const TOP: f32 = MARGIN;
/// The lowest baseline of body text; the footer sits below it.
const BOTTOM: f32 = PAGE_H - MARGIN;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.0;
const CELL_GAP: f32 = 8.0;

/// One font's advance widths, for breaking lines.
struct Metrics<'a> {
    face: ttf_parser::Face<'a>,
    per_em: f32,
}

impl<'a> Metrics<'a> {
    fn new(data: &'a [u8]) -> Result<Self> {
        let face = ttf_parser::Face::parse(data, 0)
            .map_err(|e| Error::Internal(format!("dossier font: {e}")))?;
        let per_em = f32::from(face.units_per_em());
        Ok(Self { face, per_em })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map(u32::from)
                    .unwrap_or(self.per_em as u32 / 2)
            })
            .sum();
        units as f32 / self.per_em * size
    }
}

/// A piece of text placed on a page.
#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        text: String,
    },
    /// A thin grey rule (table rows, the statement's bar).
    Rule { x1: f32, y1: f32, x2: f32, y2: f32 },
}

/// A word (or a piece of one too long for its line) in one style.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    bold: bool,
    size: f32,
    width: f32,
    /// A space precedes it on its line.
    space: bool,
}

struct Layout<'a> {
    regular: Metrics<'a>,
    bold: Metrics<'a>,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'a> Layout<'a> {
    fn metrics(&self, bold: bool) -> &Metrics<'a> {
        if bold { &self.bold } else { &self.regular }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Makes room for a line `height` tall, starting a page if needed.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn style_of(style: Style) -> (bool, f32) {
        match style {
            Style::Plain | Style::Italic => (false, BODY),
            Style::Bold => (true, BODY),
            Style::Code => (false, SMALL),
        }
    }

    /// Splits runs into pieces that fit `width`: at spaces, and anywhere
    /// inside a word longer than a line (hashes, paths).
    fn pieces(&self, spans: &[Span], width: f32) -> Vec<Piece> {
        let mut out = Vec::new();
        // Runs join without a space unless their text has one at the seam.
        let mut seam_space = false;
        for s in spans {
            let (bold, size) = Self::style_of(s.style);
            let m = self.metrics(bold);
            let mut first = true;
            let starts_with_space = s.text.starts_with(char::is_whitespace);
            for word in s.text.split_whitespace() {
                let space = if first {
                    starts_with_space || seam_space
                } else {
                    true
                };
                let space = space && !out.is_empty();
                first = false;
                let w = m.width(word, size);
                if w <= width {
                    out.push(Piece {
                        text: word.to_owned(),
                        bold,
                        size,
                        width: w,
                        space,
                    });
                    continue;
                }
                let mut chunk = String::new();
                let mut chunk_space = space;
                for c in word.chars() {
                    chunk.push(c);
                    if m.width(&chunk, size) > width {
                        chunk.pop();
                        let text = std::mem::take(&mut chunk);
                        out.push(Piece {
                            width: m.width(&text, size),
                            text,
                            bold,
                            size,
                            space: chunk_space,
                        });
                        chunk_space = false;
                        chunk.push(c);
                    }
                }
                if !chunk.is_empty() {
                    out.push(Piece {
                        width: m.width(&chunk, size),
                        text: chunk,
                        bold,
                        size,
                        space: chunk_space,
                    });
                }
            }
            if !s.text.is_empty() {
                seam_space = s.text.ends_with(char::is_whitespace);
            }
        }
        out
    }

    /// Breaks runs into lines of pieces, each with its x offset.
    fn lines(&self, spans: &[Span], width: f32) -> Vec<Vec<(f32, Piece)>> {
        let mut lines: Vec<Vec<(f32, Piece)>> = Vec::new();
        let mut line: Vec<(f32, Piece)> = Vec::new();
        let mut x = 0.0;
        for p in self.pieces(spans, width) {
            let gap = if p.space && !line.is_empty() {
                self.metrics(p.bold).width(" ", p.size)
            } else {
                0.0
            };
            if !line.is_empty() && x + gap + p.width > width {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
                let w = p.width;
                line.push((0.0, p));
                x += w;
                continue;
            }
            let at = x + gap;
            x = at + p.width;
            line.push((at, p));
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn line_height(line: &[(f32, Piece)]) -> f32 {
        line.iter().map(|(_, p)| p.size).fold(BODY, f32::max) * 1.4
    }

    fn draw_line(&mut self, x: f32, line: Vec<(f32, Piece)>) {
        let h = Self::line_height(&line);
        self.room(h);
        let baseline = self.y + h * 0.75;
        for (dx, p) in line {
            self.page().push(Op::Text {
                x: x + dx,
                y: baseline,
                bold: p.bold,
                size: p.size,
                text: p.text,
            });
        }
        self.y += h;
    }

    /// A paragraph of runs at `x`, `width` wide.
    fn para(&mut self, x: f32, width: f32, spans: &[Span]) {
        for line in self.lines(spans, width) {
            self.draw_line(x, line);
        }
    }

    fn heading(&mut self, text: &str, size: f32) {
        let spans = [Span {
            text: text.to_owned(),
            style: Style::Bold,
        }];
        for line in self.lines(&spans, WIDTH * BODY / size) {
            let h = size * 1.3;
            self.room(h);
            let baseline = self.y + size;
            let mut x = MARGIN;
            for (_, p) in line {
                let w = self.bold.width(&p.text, size);
                self.page().push(Op::Text {
                    x,
                    y: baseline,
                    bold: true,
                    size,
                    text: p.text.clone(),
                });
                x += w + self.bold.width(" ", size);
            }
            self.y += h;
        }
        self.y += size * 0.4;
    }

    fn gap(&mut self, h: f32) {
        self.y += h;
    }

    fn rule(&mut self, x1: f32, x2: f32) {
        let y = self.y;
        self.page().push(Op::Rule {
            x1,
            y1: y,
            x2,
            y2: y,
        });
    }

    fn table(&mut self, rows: &[Vec<Vec<Vec<Span>>>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        // Columns share the width by their widest content, each at least
        // a little, so a short date column does not take a third.
        let mut natural = vec![0.0f32; columns];
        for row in rows {
            for (c, cell) in row.iter().enumerate() {
                for line in cell {
                    let w: f32 = self
                        .pieces(line, f32::MAX)
                        .iter()
                        .map(|p| p.width + 3.0)
                        .sum();
                    natural[c] = natural[c].max(w.min(WIDTH));
                }
            }
        }
        let usable = WIDTH - CELL_GAP * (columns as f32 - 1.0);
        let total: f32 = natural.iter().sum::<f32>().max(1.0);
        let widths: Vec<f32> = if total <= usable {
            natural.clone()
        } else {
            let floor = usable / columns as f32 * 0.4;
            let capped: Vec<f32> = natural.iter().map(|w| w.max(floor)).collect();
            let sum: f32 = capped.iter().sum();
            capped.iter().map(|w| w / sum * usable).collect()
        };
        for row in rows {
            let cells: Vec<Vec<Vec<(f32, Piece)>>> = row
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    cell.iter()
                        .flat_map(|line| self.lines(line, widths[c]))
                        .collect()
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0);
            // A row that fits on a page is kept whole.
            let first = cells
                .iter()
                .filter_map(|c| c.first())
                .map(|l| Self::line_height(l))
                .fold(BODY * 1.4, f32::max);
            let whole: f32 = (0..height)
                .map(|i| {
                    cells
                        .iter()
                        .filter_map(|c| c.get(i))
                        .map(|l| Self::line_height(l))
                        .fold(BODY * 1.4, f32::max)
                })
                .sum();
            if whole <= BOTTOM - TOP {
                self.room(whole + 3.0);
            } else {
                self.room(first + 3.0);
            }
            self.rule(MARGIN, MARGIN + WIDTH);
            self.gap(3.0);
            let mut cells = cells;
            for i in 0..height {
                let h = cells
                    .iter()
                    .filter_map(|c| c.get(i))
                    .map(|l| Self::line_height(l))
                    .fold(BODY * 1.4, f32::max);
                self.room(h);
                let mut x = MARGIN;
                let baseline = self.y + h * 0.75;
                for (c, cell) in cells.iter_mut().enumerate() {
                    if let Some(line) = cell.get_mut(i) {
                        for (dx, p) in std::mem::take(line) {
                            self.page().push(Op::Text {
                                x: x + dx,
                                y: baseline,
                                bold: p.bold,
                                size: p.size,
                                text: p.text,
                            });
                        }
                    }
                    x += widths[c] + CELL_GAP;
                }
                self.y += h;
            }
            self.gap(3.0);
        }
        self.rule(MARGIN, MARGIN + WIDTH);
        self.gap(6.0);
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Subheading(t) => {
                self.gap(4.0);
                self.heading(t, 12.0);
            }
            Block::Para(lines) => {
                for line in lines {
                    self.para(MARGIN, WIDTH, line);
                }
                self.gap(6.0);
            }
            Block::List(items) => {
                for item in items {
                    for (i, line) in self.lines(item, WIDTH - 12.0).into_iter().enumerate() {
                        if i == 0 {
                            // The bullet beside the first line, on its page.
                            let h = Self::line_height(&line);
                            self.room(h);
                            let y = self.y + h * 0.75;
                            self.page().push(Op::Text {
                                x: MARGIN + 2.0,
                                y,
                                bold: false,
                                size: BODY,
                                text: "•".into(),
                            });
                        }
                        self.draw_line(MARGIN + 12.0, line);
                    }
                    self.gap(2.0);
                }
                self.gap(4.0);
            }
            Block::Table(rows) => self.table(rows),
            Block::Statement(text) => {
                for para in text.split('\n') {
                    let spans = [Span {
                        text: para.to_owned(),
                        style: Style::Plain,
                    }];
                    for line in self.lines(&spans, WIDTH - 12.0) {
                        let h = Self::line_height(&line);
                        self.room(h);
                        let y = self.y;
                        self.page().push(Op::Rule {
                            x1: MARGIN + 2.0,
                            y1: y,
                            x2: MARGIN + 2.0,
                            y2: y + h,
                        });
                        self.draw_line(MARGIN + 12.0, line);
                    }
                }
                self.gap(8.0);
            }
            Block::Pre(text) => {
                for line in text.lines() {
                    let indent = line.chars().take_while(|c| *c == ' ').count() as f32 * 3.0;
                    let spans = [Span {
                        text: line.trim_start().to_owned(),
                        style: Style::Code,
                    }];
                    for l in self.lines(&spans, WIDTH - indent) {
                        self.draw_line(MARGIN + indent, l);
                    }
                }
                self.gap(6.0);
            }
        }
    }
}

/// Sets the dossier on pages and writes the PDF.
pub fn render(d: &Dossier) -> Result<Vec<u8>> {
    let mut l = Layout {
        regular: Metrics::new(REGULAR)?,
        bold: Metrics::new(BOLD)?,
        pages: Vec::new(),
        y: TOP,
    };
    l.new_page();
    l.heading(&d.heading, 18.0);
    l.para(MARGIN, WIDTH, &d.byline);
    l.gap(12.0);
    l.heading(&d.contents, 14.0);
    // The contents are filled in once every section's page is known.
    let contents_at = (l.pages.len() - 1, l.y);
    let contents_lines = d.sections.len() + 1;
    l.gap(BODY * 1.4 * contents_lines as f32);

    let mut starts = Vec::new();
    for s in &d.sections {
        l.new_page();
        starts.push((s.title.clone(), l.pages.len()));
        l.heading(&s.title, 14.0);
        for b in &s.blocks {
            l.block(b);
        }
    }

    // The verification page.
    let v = &d.verification;
    l.new_page();
    starts.push((v.title.clone(), l.pages.len()));
    l.heading(&v.title, 14.0);
    l.para(
        MARGIN,
        WIDTH,
        &[Span {
            text: v.intro.clone(),
            style: Style::Plain,
        }],
    );
    l.gap(8.0);
    // Each fact on its own line below its label: a fingerprint read aloud
    // over the phone must not be broken across lines.
    for (k, val) in &v.facts {
        l.para(
            MARGIN,
            WIDTH,
            &[Span {
                text: k.clone(),
                style: Style::Bold,
            }],
        );
        l.para(
            MARGIN + 12.0,
            WIDTH - 12.0,
            &[Span {
                text: val.clone(),
                style: Style::Plain,
            }],
        );
        l.gap(4.0);
    }
    l.gap(6.0);
    l.heading(&v.hashes_title, 12.0);
    let hashes: Vec<Vec<Vec<Vec<Span>>>> = v
        .hashes
        .iter()
        .map(|(path, sha)| {
            vec![
                vec![vec![Span {
                    text: path.clone(),
                    style: Style::Code,
                }]],
                vec![vec![Span {
                    text: sha.clone(),
                    style: Style::Code,
                }]],
            ]
        })
        .collect();
    l.table(&hashes);

    // Contents, with each section's page.
    let (page, mut y) = contents_at;
    for (title, n) in &starts {
        let number = n.to_string();
        let baseline = y + BODY * 1.4 * 0.75;
        let nw = l.regular.width(&number, BODY);
        l.pages[page].push(Op::Text {
            x: MARGIN,
            y: baseline,
            bold: false,
            size: BODY,
            text: title.clone(),
        });
        l.pages[page].push(Op::Text {
            x: MARGIN + WIDTH - nw,
            y: baseline,
            bold: false,
            size: BODY,
            text: number,
        });
        y += BODY * 1.4;
    }

    // Footers: the bundle and the page number.
    let total = l.pages.len();
    let bundle = d
        .verification
        .facts
        .get(1)
        .map(|(_, id)| id.clone())
        .unwrap_or_default();
    for (i, ops) in l.pages.iter_mut().enumerate() {
        let label = page_label(d.lang, i + 1, total);
        let w = l.regular.width(&label, SMALL);
        ops.push(Op::Text {
            x: MARGIN + WIDTH - w,
            y: PAGE_H - MARGIN / 2.0,
            bold: false,
            size: SMALL,
            text: label,
        });
        ops.push(Op::Text {
            x: MARGIN,
            y: PAGE_H - MARGIN / 2.0,
            bold: false,
            size: SMALL,
            text: bundle.clone(),
        });
    }

    write_pdf(d, &l.pages)
}

fn write_pdf(d: &Dossier, pages: &[Vec<Op>]) -> Result<Vec<u8>> {
    let font = |data: &'static [u8]| {
        Font::new(data.into(), 0).ok_or_else(|| Error::Internal("dossier font: unreadable".into()))
    };
    let (regular, bold) = (font(REGULAR)?, font(BOLD)?);
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(d.title.clone())
            .language(
                match d.lang {
                    super::Language::En => "en",
                    super::Language::Ru => "ru",
                    super::Language::Kk => "kk",
                }
                .into(),
            )
            .creator("Casevault".into()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| Error::Internal("dossier page size".into()))?;
    let rule = Stroke {
        paint: luma::Color::new(150).into(),
        width: 0.5,
        ..Stroke::default()
    };
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Rule { x1, y1, x2, y2 } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(rule.clone()));
                        surface.draw_path(&path);
                    }
                }
                Op::Text {
                    x,
                    y,
                    bold: b,
                    size,
                    text,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        if *b { bold.clone() } else { regular.clone() },
                        *size,
                        text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| Error::Internal(format!("dossier PDF: {e:?}")))
}
