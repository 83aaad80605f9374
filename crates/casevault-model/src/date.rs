//! Uncertain dates, as people remember them: "in March 2008",
//! "approx. 22:30 on 1 December 1997", "2007", "between 2008-01 and
//! 2008-03", or "unknown".
//!
//! A [`FuzzyDate`] keeps exactly the precision that was given. It has one
//! canonical text form (ISO-like, what [`Display`] prints and JSON stores),
//! parses that form and the common English and Russian ways of writing
//! dates, and sorts by the earliest moment it could mean.
//!
//! [`Display`]: std::fmt::Display

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::problem::{Problem, ProblemCode};
use crate::{Error, Result};

/// A calendar point known to year, month, day or minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
    time: Option<(u8, u8)>,
}

/// How precisely a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The day.
    Day,
    /// The day and the time to the minute.
    Minute,
}

impl PartialDate {
    /// A date known to the year.
    pub fn year(year: i32) -> Result<Self> {
        Self::new(year, None, None, None)
    }

    /// Builds and validates a partial date: a day needs a month, a time
    /// needs a day, and the day must exist in that month.
    pub fn new(
        year: i32,
        month: Option<u8>,
        day: Option<u8>,
        time: Option<(u8, u8)>,
    ) -> Result<Self> {
        let bad = |p: Problem| Error::invalid("date", p);
        if !(1000..=2999).contains(&year) {
            return Err(bad(ProblemCode::DateYearRange
                .with("min", 1000)
                .with("max", 2999)));
        }
        if day.is_some() && month.is_none() {
            return Err(bad(ProblemCode::DateDayNeedsMonth.into()));
        }
        if time.is_some() && day.is_none() {
            // "March 2008 approx 22:30": say what to type instead, with the
            // person's own month and year, rather than only what is wrong.
            let example = match month {
                Some(m) => format!("{year:04}-{m:02}"),
                None => format!("{year:04}"),
            };
            let with_day = match month {
                Some(m) => format!("{year:04}-{m:02}-01"),
                None => format!("{year:04}-01-01"),
            };
            let (h, mi) = time.unwrap_or_default();
            return Err(bad(ProblemCode::DateTimeNeedsDay
                .with("suggestion", format!("{with_day} {h:02}:{mi:02}"))
                .with("without_time", example)));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(bad(ProblemCode::DateNoSuchDay.into()));
        }
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year, u32::from(m), u32::from(d)).is_none()
        {
            return Err(bad(ProblemCode::DateNoSuchDay.into()));
        }
        if let Some((h, min)) = time
            && (h > 23 || min > 59)
        {
            return Err(bad(ProblemCode::DateTimeRange.into()));
        }
        Ok(Self {
            year,
            month,
            day,
            time,
        })
    }

    /// How precisely this date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day, self.time) {
            (_, _, Some(_)) => Precision::Minute,
            (_, Some(_), None) => Precision::Day,
            (Some(_), None, None) => Precision::Month,
            (None, _, _) => Precision::Year,
        }
    }

    /// The earliest minute this date can mean, as (y, m, d, h, min).
    fn earliest(&self) -> (i32, u8, u8, u8, u8) {
        let (h, m) = self.time.unwrap_or((0, 0));
        (
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
            h,
            m,
        )
    }

    /// The latest minute this date can mean.
    fn latest(&self) -> (i32, u8, u8, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        let (h, m) = self.time.unwrap_or((23, 59));
        (self.year, month, day, h, m)
    }

    /// The earliest calendar day this date can mean.
    pub fn first_day(&self) -> NaiveDate {
        let (y, m, d, _, _) = self.earliest();
        NaiveDate::from_ymd_opt(y, u32::from(m), u32::from(d)).expect("validated at construction")
    }

    /// The last calendar day this date can mean.
    pub fn last_day(&self) -> NaiveDate {
        let (y, m, d, _, _) = self.latest();
        NaiveDate::from_ymd_opt(y, u32::from(m), u32::from(d)).expect("validated at construction")
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, u32::from(month) + 1, 1)
    };
    next.and_then(|n| n.pred_opt())
        .map(|d| chrono::Datelike::day(&d) as u8)
        .unwrap_or(28)
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        if let Some((h, m)) = self.time {
            write!(f, "T{h:02}:{m:02}")?;
        }
        Ok(())
    }
}

/// The parts of a [`PartialDate`], for screens that say a date in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DateParts {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12, when known.
    pub month: Option<u8>,
    /// Day of the month, when known.
    pub day: Option<u8>,
    /// Hour, when the time is known.
    pub hour: Option<u8>,
    /// Minute, when the time is known.
    pub minute: Option<u8>,
}

/// A [`FuzzyDate`] taken apart, so each screen can say it in its own
/// language ("about 22:30 on 1 December 1997") without re-parsing the
/// canonical text. Unknown: no `from`. One date: `from` only. A range:
/// both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DateView {
    /// The date, or the start of the range.
    pub from: Option<DateParts>,
    /// The end of the range.
    pub to: Option<DateParts>,
    /// "about", "approx.".
    pub approximate: bool,
}

impl fmt::Display for DateParts {
    /// The canonical form of the date it was taken from: `2008-03`,
    /// `1997-12-01T22:30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        if let (Some(h), Some(m)) = (self.hour, self.minute) {
            write!(f, "T{h:02}:{m:02}")?;
        }
        Ok(())
    }
}

impl fmt::Display for DateView {
    /// The canonical form of the [`FuzzyDate`] it was taken from, for
    /// plain-text output (the CLI): `unknown`, `~1997-12-01T22:30`,
    /// `2008-01..2008-03`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(from) = self.from else {
            return f.write_str("unknown");
        };
        if self.approximate {
            f.write_str("~")?;
        }
        write!(f, "{from}")?;
        if let Some(to) = self.to {
            write!(f, "..{to}")?;
        }
        Ok(())
    }
}

impl PartialDate {
    /// Its parts.
    pub fn parts(&self) -> DateParts {
        DateParts {
            year: self.year,
            month: self.month,
            day: self.day,
            hour: self.time.map(|(h, _)| h),
            minute: self.time.map(|(_, m)| m),
        }
    }
}

/// A date as precise as the source allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FuzzyDate {
    /// Nobody knows when.
    Unknown,
    /// At (or, if approximate, around) one partial date.
    At {
        /// The date.
        date: PartialDate,
        /// "approx.", "about", "примерно".
        approximate: bool,
    },
    /// Some time in a range.
    Between {
        /// The earliest it can be.
        from: PartialDate,
        /// The latest it can be.
        to: PartialDate,
        /// The bounds themselves are approximate.
        approximate: bool,
    },
}

impl FuzzyDate {
    /// Taken apart for display.
    pub fn view(&self) -> DateView {
        match self {
            FuzzyDate::Unknown => DateView {
                from: None,
                to: None,
                approximate: false,
            },
            FuzzyDate::At { date, approximate } => DateView {
                from: Some(date.parts()),
                to: None,
                approximate: *approximate,
            },
            FuzzyDate::Between {
                from,
                to,
                approximate,
            } => DateView {
                from: Some(from.parts()),
                to: Some(to.parts()),
                approximate: *approximate,
            },
        }
    }

    /// The earliest calendar day this can mean, if known.
    pub fn first_day(&self) -> Option<NaiveDate> {
        match self {
            FuzzyDate::Unknown => None,
            FuzzyDate::At { date, .. } => Some(date.first_day()),
            FuzzyDate::Between { from, .. } => Some(from.first_day()),
        }
    }

    /// The last calendar day this can mean, if known.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match self {
            FuzzyDate::Unknown => None,
            FuzzyDate::At { date, .. } => Some(date.last_day()),
            FuzzyDate::Between { to, .. } => Some(to.last_day()),
        }
    }

    /// True when the date could fall on any day in `[from, to]`: what a
    /// date-range filter should match ("March 2008" overlaps 2008-03-15).
    pub fn overlaps(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
        let (Some(first), Some(last)) = (self.first_day(), self.last_day()) else {
            return from.is_none() && to.is_none();
        };
        from.is_none_or(|f| last >= f) && to.is_none_or(|t| first <= t)
    }

    fn sort_key(&self) -> (u8, (i32, u8, u8, u8, u8), Option<Precision>) {
        match self {
            FuzzyDate::Unknown => (1, (0, 0, 0, 0, 0), None),
            FuzzyDate::At { date, .. } => (0, date.earliest(), Some(date.precision())),
            FuzzyDate::Between { from, .. } => (0, from.earliest(), Some(from.precision())),
        }
    }
}

impl Ord for FuzzyDate {
    /// Earliest possible moment first; at the same moment the vaguer date
    /// first ("2008" before "2008-01-01"); unknown dates last.
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.to_string().cmp(&other.to_string()))
    }
}

impl PartialOrd for FuzzyDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for FuzzyDate {
    /// The canonical form: `unknown`, `2008-03`, `~1997-12-01T22:30`,
    /// `2008-01..2008-03`, `~2008-01..2008-03`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FuzzyDate::Unknown => f.write_str("unknown"),
            FuzzyDate::At { date, approximate } => {
                if *approximate {
                    f.write_str("~")?;
                }
                write!(f, "{date}")
            }
            FuzzyDate::Between {
                from,
                to,
                approximate,
            } => {
                if *approximate {
                    f.write_str("~")?;
                }
                write!(f, "{from}..{to}")
            }
        }
    }
}

impl Serialize for FuzzyDate {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FuzzyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.to_string()))
    }
}

impl schemars::JsonSchema for FuzzyDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FuzzyDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A date as precise as it is known. Canonical form: \"2008\", \"2008-03\", \"2008-03-25\", \"1997-12-01T22:30\"; a leading \"~\" for approximate; \"2008-01..2008-03\" for a range; \"unknown\". Import also accepts \"March 2008\", \"15.03.2008\", \"approx. 22:30 on 1 December 1997\", \"between 2008-01 and 2008-03\" and Russian and Kazakh month names.",
            "examples": ["2008-03", "~1997-12-01T22:30", "2008-01..2008-03", "unknown"]
        })
    }
}

impl FromStr for FuzzyDate {
    type Err = Error;

    fn from_str(input: &str) -> Result<Self> {
        parse(input)
    }
}

const APPROX_WORDS: &[&str] = &[
    "~",
    "approx",
    "approximately",
    "about",
    "around",
    "circa",
    "ca",
    "c",
    "roughly",
    "примерно",
    "около",
    "приблизительно",
    "шамамен",
    "шамасы",
];
const UNKNOWN_WORDS: &[&str] = &["unknown", "?", "n/a", "неизвестно", "неизв", "белгісіз"];
const FILLER_WORDS: &[&str] = &[
    "in",
    "on",
    "at",
    "of",
    "the",
    "в",
    "во",
    "г",
    "год",
    "года",
    "году",
    "гг",
    "ж",
    "жыл",
    "жылы",
    "жылғы",
    "жылдың",
];

/// English, Russian and Kazakh month names and their usual abbreviations
/// and case forms, by prefix. (Kazakh: activists write their self-reports
/// in it; the prefixes do not collide with the Russian ones.)
const MONTHS: &[(&[&str], u8)] = &[
    (&["jan", "янв", "қаң"], 1),
    (&["feb", "фев", "ақп"], 2),
    (&["mar", "мар", "нау"], 3),
    (&["apr", "апр", "сәу"], 4),
    (&["may", "мая", "май", "мае", "мам"], 5),
    (&["jun", "июн", "мау"], 6),
    (&["jul", "июл", "шіл"], 7),
    (&["aug", "авг", "там"], 8),
    (&["sep", "сен", "қыр"], 9),
    (&["oct", "окт", "қаз"], 10),
    (&["nov", "ноя", "қар"], 11),
    (&["dec", "дек", "жел"], 12),
];

fn month_name(word: &str) -> Option<u8> {
    let w = word.to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(prefixes, _)| prefixes.iter().any(|p| w.starts_with(p)))
        .map(|(_, m)| *m)
}

fn parse(input: &str) -> Result<FuzzyDate> {
    let text = input.trim();
    if text.chars().count() > 200 {
        return Err(Error::invalid(
            "date",
            ProblemCode::TooLong.with("max", 200),
        ));
    }
    let lower = text.to_lowercase();
    if lower.is_empty() || UNKNOWN_WORDS.contains(&lower.as_str()) {
        return Ok(FuzzyDate::Unknown);
    }
    // Canonical form first: fast and exact.
    let (approx_prefix, rest) = match lower.strip_prefix('~') {
        Some(r) => (true, r.trim()),
        None => (false, lower.as_str()),
    };
    if let Some((a, b)) = rest.split_once("..") {
        let from = parse_point(&tokens(a))?.0;
        let to = parse_point(&tokens(b))?.0;
        return between(from, to, approx_prefix);
    }

    let toks = tokens(&lower);
    let approximate = approx_prefix || toks.iter().any(|t| APPROX_WORDS.contains(&t.as_str()));
    let toks: Vec<String> = toks
        .into_iter()
        .filter(|t| !APPROX_WORDS.contains(&t.as_str()))
        .collect();

    // Ranges: "between X and Y", "from X to Y", "X to Y", "с X по Y", "X – Y".
    for (i, t) in toks.iter().enumerate() {
        if ["and", "to", "until", "till", "по", "до", "и", "-", "–", "—"].contains(&t.as_str())
            && i > 0
        {
            let left: Vec<String> = toks[..i]
                .iter()
                .filter(|t| !["between", "from", "с", "между"].contains(&t.as_str()))
                .cloned()
                .collect();
            let right = toks[i + 1..].to_vec();
            let Ok((to, _)) = parse_point(&right) else {
                continue;
            };
            // "January to March 2008": the start borrows the end's year.
            let from = parse_point(&left).or_else(|_| {
                let mut with_year = left.clone();
                with_year.push(to.year.to_string());
                parse_point(&with_year)
            });
            if let Ok((from, _)) = from {
                return between(from, to, approximate);
            }
        }
    }
    let (date, _) = parse_point(&toks)?;
    Ok(FuzzyDate::At { date, approximate })
}

fn between(from: PartialDate, to: PartialDate, approximate: bool) -> Result<FuzzyDate> {
    if from.first_day() > to.last_day() {
        return Err(Error::invalid("date", ProblemCode::DateRangeReversed));
    }
    Ok(FuzzyDate::Between {
        from,
        to,
        approximate,
    })
}

/// Splits into words, keeping ISO dates, dotted dates and times whole.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in s.split(|c: char| c.is_whitespace() || c == ',') {
        let t = raw.trim_matches(|c: char| c == '(' || c == ')' || c == ';');
        let t = t
            .strip_suffix('.')
            .filter(|x| !x.contains('.'))
            .unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        // "~2008": split a leading tilde off.
        let t = match t.strip_prefix('~') {
            Some(rest) => {
                out.push("~".to_owned());
                if rest.is_empty() {
                    continue;
                }
                rest
            }
            None => t,
        };
        // ISO date with time glued by T.
        if let Some((d, tm)) = t.split_once('t')
            && d.contains('-')
            && tm.contains(':')
        {
            out.push(d.to_owned());
            out.push(tm.to_owned());
            continue;
        }
        out.push(t.to_owned());
    }
    out
}

fn num<T: FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses one partial date (and optional time) from words.
fn parse_point(toks: &[String]) -> Result<(PartialDate, bool)> {
    let mut year = None;
    let mut month = None;
    let mut day = None;
    let mut time = None;
    let invalid =
        |part: &str| Error::invalid("date", ProblemCode::DateUnreadable.with("part", part));
    for t in toks {
        let t = t.as_str();
        if FILLER_WORDS.contains(&t) {
            continue;
        }
        if let Some((h, m)) = t.split_once(':') {
            let (Some(h), Some(m)) = (num::<u8>(h), num::<u8>(m.trim_end_matches(['h', 'ч'])))
            else {
                return Err(invalid(t));
            };
            time = Some((h, m));
            continue;
        }
        if t.contains('-') && t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            // ISO: YYYY, YYYY-MM, YYYY-MM-DD
            let parts: Vec<&str> = t.split('-').collect();
            let nums: Option<Vec<u32>> = parts.iter().map(|p| num::<u32>(p)).collect();
            // A month or day past 255 must not wrap into a valid one
            // ("2008-032008" is not August).
            let small = |n: u32| u8::try_from(n).map_err(|_| invalid(t));
            match nums.as_deref() {
                Some([y, m]) if parts[0].len() == 4 => {
                    year = Some(*y as i32);
                    month = Some(small(*m)?);
                }
                Some([y, m, d]) if parts[0].len() == 4 => {
                    year = Some(*y as i32);
                    month = Some(small(*m)?);
                    day = Some(small(*d)?);
                }
                _ => return Err(invalid(t)),
            }
            continue;
        }
        if t.contains('.') || t.contains('/') {
            // European order: DD.MM.YYYY, MM.YYYY
            let parts: Vec<&str> = t.split(['.', '/']).collect();
            let nums: Option<Vec<u32>> = parts.iter().map(|p| num::<u32>(p)).collect();
            let small = |n: u32| u8::try_from(n).map_err(|_| invalid(t));
            match nums.as_deref() {
                Some([d, m, y]) if parts[2].len() == 4 => {
                    year = Some(*y as i32);
                    month = Some(small(*m)?);
                    day = Some(small(*d)?);
                }
                Some([m, y]) if parts[1].len() == 4 => {
                    year = Some(*y as i32);
                    month = Some(small(*m)?);
                }
                _ => return Err(invalid(t)),
            }
            continue;
        }
        if let Some(n) = num::<u32>(t) {
            if t.len() == 4 {
                year = Some(n as i32);
            } else if t.len() <= 2 && day.is_none() {
                day = Some(n as u8);
            } else {
                return Err(invalid(t));
            }
            continue;
        }
        if let Some(m) = month_name(t) {
            month = Some(m);
            continue;
        }
        return Err(invalid(t));
    }
    let Some(year) = year else {
        return Err(Error::invalid("date", ProblemCode::DateNoYear));
    };
    Ok((PartialDate::new(year, month, day, time)?, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        s.parse::<FuzzyDate>()
            .unwrap_or_else(|e| panic!("{s:?}: {e}"))
            .to_string()
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(p("March 2008"), "2008-03");
        assert_eq!(p("in March 2008"), "2008-03");
        assert_eq!(p("март 2008"), "2008-03");
        assert_eq!(p("в марте 2008 года"), "2008-03");
        assert_eq!(p("2007"), "2007");
        assert_eq!(p("1997-12-01 approx 22:30"), "~1997-12-01T22:30");
        assert_eq!(p("approx. 22:30 on 1 December 1997"), "~1997-12-01T22:30");
        assert_eq!(p("примерно 22:30 1 декабря 1997"), "~1997-12-01T22:30");
        assert_eq!(p("between 2008-01 and 2008-03"), "2008-01..2008-03");
        assert_eq!(p("с января по март 2008"), "2008-01..2008-03");
        assert_eq!(p("between January and March 2008"), "2008-01..2008-03");
        assert_eq!(p("from 2008 to 2011"), "2008..2011");
        assert_eq!(p("15.03.2008"), "2008-03-15");
        assert_eq!(p("March 15, 2008"), "2008-03-15");
        assert_eq!(p("15 March 2008 at 09:05"), "2008-03-15T09:05");
        assert_eq!(p("around 2011"), "~2011");
        assert_eq!(p("unknown"), "unknown");
        assert_eq!(p(""), "unknown");
        assert_eq!(p("~2008-01..2008-03"), "~2008-01..2008-03");
        // Kazakh, as activists write their self-reports.
        assert_eq!(p("2008 жылы наурыз"), "2008-03");
        assert_eq!(p("наурыз 2008"), "2008-03");
        assert_eq!(p("шамамен 2019"), "~2019");
        assert_eq!(p("2023 жылғы 1 мамыр"), "2023-05-01");
        assert_eq!(p("қыркүйек 2021"), "2021-09");
        assert_eq!(p("белгісіз"), "unknown");
    }

    #[test]
    fn refuses_nonsense_with_a_hint() {
        for bad in [
            "31 February 2008",
            "2008-13",
            "soon",
            "25:00 1 May 2008",
            "12",
            "March",
            "2009..2008",
        ] {
            let err = bad.parse::<FuzzyDate>().unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{bad}: {err}");
        }
        let err = "next tuesday".parse::<FuzzyDate>().unwrap_err().to_string();
        assert!(err.contains("March 2008"), "{err}");
    }

    /// A time with no day cannot be stored; the refusal names the field
    /// once and offers the person's own month as the thing to type.
    #[test]
    fn a_time_without_a_day_says_what_to_type() {
        let err = "March 2008 approx 22:30".parse::<FuzzyDate>().unwrap_err();
        let Error::InvalidInput { field, problem } = &err else {
            panic!("{err}");
        };
        assert_eq!(field, "date");
        assert_eq!(problem.code, ProblemCode::DateTimeNeedsDay);
        let problem = problem.message();
        assert!(!problem.starts_with("date"), "{problem}");
        // What it suggests parses, and keeps the month and the time.
        assert_eq!(p("~2008-03-01 22:30"), "~2008-03-01T22:30");
        assert!(problem.contains("2008-03-01 22:30"), "{problem}");
        assert_eq!(err.to_string().matches("date:").count(), 1, "{err}");
    }

    #[test]
    fn views_take_dates_apart() {
        let d: FuzzyDate = "~1997-12-01T22:30".parse().unwrap();
        let v = d.view();
        assert!(v.approximate && v.to.is_none());
        let f = v.from.unwrap();
        assert_eq!(
            (f.year, f.month, f.day, f.hour, f.minute),
            (1997, Some(12), Some(1), Some(22), Some(30))
        );
        let r: FuzzyDate = "2011-03-27..2011-03-30".parse().unwrap();
        let v = r.view();
        assert_eq!(v.from.unwrap().day, Some(27));
        assert_eq!(v.to.unwrap().day, Some(30));
        assert!(!v.approximate);
        assert_eq!(FuzzyDate::Unknown.view().from, None);
        let m: FuzzyDate = "March 2008".parse().unwrap();
        let f = m.view().from.unwrap();
        assert_eq!((f.month, f.day, f.hour), (Some(3), None, None));
    }

    #[test]
    fn a_view_says_the_date_it_was_taken_from() {
        for text in [
            "unknown",
            "2008",
            "2008-03",
            "~1997-12-01T22:30",
            "2011-03-27..2011-03-30",
            "~2008-01..2008-03",
        ] {
            let d: FuzzyDate = text.parse().unwrap();
            assert_eq!(d.view().to_string(), d.to_string(), "{text}");
        }
    }

    #[test]
    fn sorts_by_earliest_moment_vaguer_first_unknown_last() {
        let mut dates: Vec<FuzzyDate> = [
            "unknown",
            "2008-03-15",
            "2008",
            "2007-12",
            "2008-03",
            "2008-01..2008-03",
            "~2008-03-15T22:30",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        dates.sort();
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "2007-12",
                "2008",
                "2008-01..2008-03",
                "2008-03",
                "2008-03-15",
                "~2008-03-15T22:30",
                "unknown"
            ]
        );
    }

    #[test]
    fn overlap_handles_partial_dates() {
        let march: FuzzyDate = "March 2008".parse().unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert!(march.overlaps(d("2008-03-15"), d("2008-03-15")));
        assert!(march.overlaps(d("2008-02-01"), d("2008-03-01")));
        assert!(!march.overlaps(d("2008-04-01"), None));
        assert!(march.overlaps(None, None));
        assert!(!FuzzyDate::Unknown.overlaps(d("2008-01-01"), None));
        let year: FuzzyDate = "2008".parse().unwrap();
        assert!(year.overlaps(d("2008-12-31"), None));
    }

    #[test]
    fn json_uses_the_canonical_form() {
        let d: FuzzyDate = "approx. 22:30 on 1 December 1997".parse().unwrap();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"~1997-12-01T22:30\"");
        assert_eq!(serde_json::from_str::<FuzzyDate>(&json).unwrap(), d);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn partial() -> impl Strategy<Value = PartialDate> {
        (
            1900i32..2100,
            0u8..=12,
            0u8..=31,
            proptest::option::of((0u8..24, 0u8..60)),
        )
            .prop_filter_map("a real calendar date", |(y, m, d, time)| {
                let month = (m > 0).then_some(m);
                let day = month.and(if d > 0 { Some(d) } else { None });
                let time = day.and(time);
                PartialDate::new(y, month, day, time).ok()
            })
    }

    fn fuzzy() -> impl Strategy<Value = FuzzyDate> {
        prop_oneof![
            Just(FuzzyDate::Unknown),
            (partial(), any::<bool>())
                .prop_map(|(date, approximate)| FuzzyDate::At { date, approximate }),
            (partial(), partial(), any::<bool>())
                .prop_filter_map("an ordered range", |(a, b, approximate)| {
                    between(a, b, approximate).ok()
                }),
        ]
    }

    proptest! {
        #[test]
        fn canonical_text_round_trips(d in fuzzy()) {
            let text = d.to_string();
            prop_assert_eq!(text.parse::<FuzzyDate>().unwrap(), d);
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(serde_json::from_str::<FuzzyDate>(&json).unwrap(), d);
        }

        #[test]
        fn order_follows_the_earliest_day(a in fuzzy(), b in fuzzy()) {
            if let (Some(x), Some(y)) = (a.first_day(), b.first_day())
                && x < y
            {
                prop_assert!(a < b, "{a} should sort before {b}");
            }
            if a.first_day().is_some() {
                prop_assert!(a < FuzzyDate::Unknown);
            }
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        }

        #[test]
        fn a_date_overlaps_its_own_days(d in fuzzy()) {
            if let (Some(first), Some(last)) = (d.first_day(), d.last_day()) {
                prop_assert!(first <= last);
                prop_assert!(d.overlaps(Some(first), Some(first)));
                prop_assert!(d.overlaps(Some(last), Some(last)));
            }
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,60}") {
            let _ = s.parse::<FuzzyDate>();
        }
    }
}
