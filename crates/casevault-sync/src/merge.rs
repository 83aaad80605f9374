//! The merge a conflict review proposes: field by field over a record's
//! JSON data, three-way and line-wise for long texts (`diffy`).
//!
//! It is a pure function of (base, heads in the replica's total order),
//! so every replica proposes the same text for the same conflict; nothing
//! is written until a person accepts it. Overlapping edits are never
//! merged silently: the field is reported as a conflict, and the proposal
//! keeps the current (greatest) head's value there.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Text fields that hold narratives: merged line-wise even while they are
/// one line yet, since the next edit may add lines to either side.
const LONG_TEXTS: &[(&str, &str)] = &[
    ("testimony", "statement"),
    ("incident", "description"),
    ("case", "notes"),
    ("intervention", "request"),
    ("intervention", "response"),
];

/// A proposed merge of a conflict's heads.
#[derive(Clone, PartialEq, Eq)]
pub struct Merged {
    /// The proposed data: every field merged, and for a conflicting field
    /// the current head's value.
    pub data: Value,
    /// The fields both sides changed in ways that cannot be merged (top
    /// level keys of the data, sorted); empty if the proposal is clean.
    pub conflicts: Vec<String>,
}

impl std::fmt::Debug for Merged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merged")
            .field("data", &"<redacted>")
            .field("conflicts", &self.conflicts)
            .finish()
    }
}

/// Whether `field` of a record of `kind` is merged line by line.
pub fn is_long_text(kind: &str, field: &str, values: &[Option<&Value>]) -> bool {
    let all_text = values
        .iter()
        .all(|v| matches!(v, None | Some(Value::String(_))));
    all_text
        && (LONG_TEXTS.contains(&(kind, field))
            || values
                .iter()
                .any(|v| matches!(v, Some(Value::String(s)) if s.contains('\n'))))
}

/// Merges `heads` (in the replica's total order, the current one last)
/// against `base`, their greatest common ancestor if known.
///
/// Per field: equal on every head, kept; changed on one side only (or
/// changed identically), taken; changed differently on several sides, a
/// long text is merged with `diffy::merge(base, ours, theirs)` (ours the
/// smaller head) and a clean result taken, anything else is a conflict.
/// Without a base nothing can tell which side changed a field: every
/// field that differs is a conflict.
pub fn merge(kind: &str, base: Option<&Value>, heads: &[&Value]) -> Merged {
    let Some((current, _)) = heads.split_last() else {
        return Merged {
            data: Value::Null,
            conflicts: Vec::new(),
        };
    };
    let objects: Option<Vec<&Map<String, Value>>> = heads.iter().map(|h| h.as_object()).collect();
    let base_obj: Option<Option<&Map<String, Value>>> = match base {
        None => Some(None),
        Some(b) => b.as_object().map(Some),
    };
    let (Some(objects), Some(base_obj)) = (objects, base_obj) else {
        return whole(base, heads);
    };
    let keys: BTreeSet<&String> = objects
        .iter()
        .flat_map(|o| o.keys())
        .chain(base_obj.into_iter().flat_map(|b| b.keys()))
        .collect();
    let mut data = Map::new();
    let mut conflicts = Vec::new();
    for key in keys {
        let values: Vec<Option<&Value>> = objects.iter().map(|o| o.get(key)).collect();
        let known_base = base_obj.map(|b| b.get(key));
        match merge_field(kind, key, known_base, &values) {
            Field::Value(Some(v)) => {
                data.insert(key.clone(), v);
            }
            Field::Value(None) => {}
            Field::Conflict => {
                conflicts.push(key.clone());
                if let Some(v) = current.get(key) {
                    data.insert(key.clone(), v.clone());
                }
            }
        }
    }
    Merged {
        data: Value::Object(data),
        conflicts,
    }
}

/// Data that is not an object on some side: one field, the whole value.
fn whole(base: Option<&Value>, heads: &[&Value]) -> Merged {
    let values: Vec<Option<&Value>> = heads.iter().map(|h| Some(*h)).collect();
    let current = heads.last().map_or(Value::Null, |v| (*v).clone());
    match merge_field("", "", base.map(Some), &values) {
        Field::Value(v) => Merged {
            data: v.unwrap_or(Value::Null),
            conflicts: Vec::new(),
        },
        Field::Conflict => Merged {
            data: current,
            conflicts: vec![String::new()],
        },
    }
}

/// Where a line of a two-sided diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// On both sides.
    Both,
    /// Only on the left (the smaller head).
    Left,
    /// Only on the right (the greater head).
    Right,
}

/// Every line of `left` and `right`, each marked with the side it is on,
/// in order: the line diff a reviewer reads (diffy's, with the whole text
/// as context).
pub fn line_diff(left: &str, right: &str) -> Vec<(Side, String)> {
    let context = left.lines().count() + right.lines().count() + 1;
    let patch = diffy::DiffOptions::new()
        .set_context_len(context)
        .create_patch(left, right);
    if patch.hunks().is_empty() {
        return left.lines().map(|l| (Side::Both, l.to_owned())).collect();
    }
    patch
        .hunks()
        .iter()
        .flat_map(|h| h.lines())
        .map(|l| match l {
            diffy::Line::Context(t) => (Side::Both, t.trim_end_matches('\n').to_owned()),
            diffy::Line::Delete(t) => (Side::Left, t.trim_end_matches('\n').to_owned()),
            diffy::Line::Insert(t) => (Side::Right, t.trim_end_matches('\n').to_owned()),
        })
        .collect()
}

enum Field {
    /// The merged value; None: the field is absent.
    Value(Option<Value>),
    Conflict,
}

/// `base` is None when no common ancestor is known, Some(None) when the
/// ancestor lacks the field.
fn merge_field(
    kind: &str,
    key: &str,
    base: Option<Option<&Value>>,
    values: &[Option<&Value>],
) -> Field {
    let first = values.first().copied().flatten();
    if values.iter().all(|v| *v == first) {
        return Field::Value(first.cloned());
    }
    let Some(base) = base else {
        return Field::Conflict;
    };
    // The distinct changes, in head order (duplicates made on both sides
    // count once).
    let mut changed: Vec<Option<&Value>> = Vec::new();
    for v in values {
        if *v != base && !changed.contains(v) {
            changed.push(*v);
        }
    }
    match changed.as_slice() {
        [] => Field::Value(base.cloned()),
        [one] => Field::Value(one.cloned()),
        _ => {
            let mut all = changed.clone();
            all.push(base);
            if !is_long_text(kind, key, &all) {
                return Field::Conflict;
            }
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
            let ancestor = text(base);
            let mut merged = text(changed[0]);
            for theirs in &changed[1..] {
                match diffy::merge(&ancestor, &merged, &text(*theirs)) {
                    Ok(m) => merged = m,
                    Err(_) => return Field::Conflict,
                }
            }
            Field::Value(Some(Value::String(merged)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn testimony(statement: &str, place: &str) -> Value {
        json!({"id": "tst-1", "case": "case-1", "statement": statement, "interview_place": place})
    }

    const BASE: &str = "Line one.\nLine two.\nLine three.\nLine four.\nLine five.\n";

    #[test]
    fn non_overlapping_line_edits_of_a_testimony_merge_cleanly() {
        let base = testimony(BASE, "Almaty");
        let ours = testimony(
            "Line one, corrected.\nLine two.\nLine three.\nLine four.\nLine five.\n",
            "Almaty",
        );
        let theirs = testimony(
            "Line one.\nLine two.\nLine three.\nLine four.\nLine five, added.\n",
            "Astana",
        );
        let m = merge("testimony", Some(&base), &[&ours, &theirs]);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(
            m.data["statement"],
            "Line one, corrected.\nLine two.\nLine three.\nLine four.\nLine five, added.\n"
        );
        assert_eq!(m.data["interview_place"], "Astana");
        assert_eq!(m.data["id"], "tst-1");
    }

    #[test]
    fn overlapping_line_edits_are_a_conflict_with_the_current_head_proposed() {
        let base = testimony(BASE, "Almaty");
        let ours = testimony(&BASE.replace("Line three.", "Line 3 (ours)."), "Almaty");
        let theirs = testimony(&BASE.replace("Line three.", "Line 3 (theirs)."), "Almaty");
        let m = merge("testimony", Some(&base), &[&ours, &theirs]);
        assert_eq!(m.conflicts, vec!["statement".to_owned()]);
        assert_eq!(m.data, theirs);
    }

    #[test]
    fn a_short_field_changed_on_both_sides_is_a_conflict_and_one_side_is_taken() {
        let base = testimony(BASE, "Almaty");
        let ours = testimony(BASE, "Astana");
        let theirs = testimony(BASE, "Bishkek");
        let m = merge("testimony", Some(&base), &[&ours, &theirs]);
        assert_eq!(m.conflicts, vec!["interview_place".to_owned()]);
        // A one-line text of a kind without long texts is not merged by
        // lines either.
        let a = json!({"title": "A"});
        let m = merge(
            "case",
            Some(&json!({"title": "X"})),
            &[&a, &json!({"title": "B"})],
        );
        assert_eq!(m.conflicts, vec!["title".to_owned()]);
    }

    #[test]
    fn fields_added_or_removed_on_one_side_are_taken() {
        let base = json!({"a": 1, "b": 2});
        let ours = json!({"a": 1});
        let theirs = json!({"a": 1, "b": 2, "c": 3});
        let m = merge("person", Some(&base), &[&ours, &theirs]);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.data, json!({"a": 1, "c": 3}));
    }

    #[test]
    fn without_a_base_every_difference_is_a_conflict() {
        let ours = testimony(BASE, "Almaty");
        let theirs = testimony(&BASE.replace("one", "1"), "Almaty");
        let m = merge("testimony", None, &[&ours, &theirs]);
        assert_eq!(m.conflicts, vec!["statement".to_owned()]);
        assert_eq!(m.data, theirs);
    }

    #[test]
    fn three_heads_merge_every_side_s_lines() {
        let base = testimony(BASE, "Almaty");
        let a = testimony(&BASE.replace("Line one.", "Line 1."), "Almaty");
        let b = testimony(&BASE.replace("Line three.", "Line 3."), "Almaty");
        let c = testimony(&BASE.replace("Line five.", "Line 5."), "Almaty");
        let m = merge("testimony", Some(&base), &[&a, &b, &c]);
        assert!(m.conflicts.is_empty());
        assert_eq!(
            m.data["statement"],
            "Line 1.\nLine two.\nLine 3.\nLine four.\nLine 5.\n"
        );
    }

    /// A base of `n` distinct lines, and two sets of edits on disjoint line
    /// ranges separated by at least one untouched line (what diffy needs
    /// to see two hunks rather than one). Distinct, because with repeated
    /// lines ("a", " ", "a") a diff may align an edit with another copy of
    /// its neighbour and see the two hunks touch: that is reported as a
    /// conflict, the safe answer, but not the one this property is about.
    type Edits = Vec<(usize, String)>;

    fn edits() -> impl Strategy<Value = (Vec<String>, Edits, Edits)> {
        (6usize..30)
            .prop_flat_map(|n| {
                (
                    proptest::collection::vec("[a-z ]{1,12}", n),
                    1..n - 2,
                    proptest::collection::vec("[A-Z]{1,8}", n),
                    proptest::collection::vec(any::<bool>(), n),
                )
            })
            .prop_map(|(lines, split, repl, pick)| {
                let lines: Vec<String> = lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| format!("{i} {l}"))
                    .collect();
                let n = lines.len();
                let ours: Edits = (0..split)
                    .filter(|i| pick[*i])
                    .map(|i| (i, repl[i].clone()))
                    .collect();
                let theirs: Edits = (split + 1..n)
                    .filter(|i| pick[*i])
                    .map(|i| (i, repl[i].clone()))
                    .collect();
                (lines, ours, theirs)
            })
    }

    fn apply(lines: &[String], edits: &[(usize, String)]) -> String {
        let mut out: Vec<String> = lines.to_vec();
        for (i, s) in edits {
            out[*i] = s.clone();
        }
        out.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn a_line_diff_shows_every_line_once_with_its_side() {
        let d = line_diff("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
        assert_eq!(
            d,
            vec![
                (Side::Both, "a".to_owned()),
                (Side::Left, "b".to_owned()),
                (Side::Right, "B".to_owned()),
                (Side::Both, "c".to_owned()),
                (Side::Both, "d".to_owned()),
                (Side::Right, "e".to_owned()),
            ]
        );
        assert_eq!(
            line_diff("x\ny", "x\ny"),
            vec![(Side::Both, "x".into()), (Side::Both, "y".into())]
        );
    }

    proptest! {
        /// Edits on lines apart from each other always merge cleanly,
        /// into the text with both sets applied, whichever side is "ours".
        #[test]
        fn separate_line_edits_merge_cleanly_into_both((lines, ours, theirs) in edits()) {
            let base = testimony(&apply(&lines, &[]), "x");
            let a = testimony(&apply(&lines, &ours), "x");
            let b = testimony(&apply(&lines, &theirs), "x");
            let both: Vec<(usize, String)> = ours.iter().chain(&theirs).cloned().collect();
            let m = merge("testimony", Some(&base), &[&a, &b]);
            prop_assert!(m.conflicts.is_empty());
            let want = apply(&lines, &both);
            prop_assert_eq!(m.data["statement"].as_str(), Some(want.as_str()));
            let m2 = merge("testimony", Some(&base), &[&b, &a]);
            prop_assert_eq!(m.data, m2.data);
        }

        /// The same line changed differently on both sides is reported,
        /// never merged.
        #[test]
        fn the_same_line_changed_differently_is_reported(
            (lines, _, _) in edits(),
            at in any::<prop::sample::Index>(),
        ) {
            let i = at.index(lines.len());
            let ours = vec![(i, "OURS".to_owned())];
            let theirs = vec![(i, "THEIRS".to_owned())];
            let base = testimony(&apply(&lines, &[]), "x");
            let a = testimony(&apply(&lines, &ours), "x");
            let b = testimony(&apply(&lines, &theirs), "x");
            let m = merge("testimony", Some(&base), &[&a, &b]);
            prop_assert_eq!(m.conflicts, vec!["statement".to_owned()]);
            prop_assert_eq!(m.data, b);
        }
    }
}
