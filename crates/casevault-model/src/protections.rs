//! What protects a person is never loosened by a version nobody chose.
//!
//! When two caseworkers edit the same record before either syncs, every
//! replica shows one of the versions (a deterministic pick) until a person
//! reviews the conflict. That pick must not undo a protection the other
//! version added: one caseworker records that a witness withdrew consent,
//! the other fixes a typo in the statement, and the typo fix happens to
//! win. Exports, CSV and dossiers read the record as shown, so the shown
//! record keeps, from every concurrent version, the narrowest consent and
//! the protection of a person's name. A person reviewing the conflict
//! chooses freely: this applies only to what no one chose.

use crate::records::{AnyRecord, Consent, Person, Testimony};

/// Strictness of an anonymity term, from named to anonymous. An unknown
/// term is as strict as anonymous: it cannot be shown more openly.
fn anonymity_rank(term: Option<&str>) -> u8 {
    match term {
        None => 0,
        Some("none") => 1,
        Some("pseudonym") => 2,
        _ => 3,
    }
}

impl Consent {
    /// What both consents allow, and no more: each audience only if both
    /// allow it, the stricter anonymity, withdrawn if either was (the
    /// earlier date when both were), contact only if neither refused it.
    pub fn narrowest(&self, other: &Consent) -> Consent {
        let withdrawn = match (self.withdrawn, other.withdrawn) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let anonymity = if anonymity_rank(other.anonymity.as_deref())
            > anonymity_rank(self.anonymity.as_deref())
        {
            other.anonymity.clone()
        } else {
            self.anonymity.clone()
        };
        let contact = match (self.contact, other.contact) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (a, b) => a.or(b),
        };
        Consent {
            record: self.record && other.record,
            share_lawyers: self.share_lawyers && other.share_lawyers,
            share_courts: self.share_courts && other.share_courts,
            share_un: self.share_un && other.share_un,
            share_media: self.share_media && other.share_media,
            publish: self.publish && other.publish,
            anonymity,
            withdrawn,
            given: self.given,
            contact,
        }
    }
}

impl Person {
    /// Protected if `other` is, under this version's pseudonym or, when it
    /// has none, the other's.
    fn keep_protection_of(&mut self, other: &Person) {
        if other.protected && !self.protected {
            self.protected = true;
            if self.pseudonym.is_none() {
                self.pseudonym = other.pseudonym.clone();
            }
        }
    }
}

impl Testimony {
    fn keep_consent_of(&mut self, other: &Testimony) {
        self.consent = self.consent.narrowest(&other.consent);
    }
}

impl AnyRecord {
    /// This version, shown while it is in conflict with `others` (of the
    /// same record), with the narrowest consent and every name protection
    /// any of them gives. Versions of another kind are ignored.
    pub fn with_protections_of<'a>(
        mut self,
        others: impl IntoIterator<Item = &'a AnyRecord>,
    ) -> AnyRecord {
        for other in others {
            match (&mut self, other) {
                (AnyRecord::Testimony(t), AnyRecord::Testimony(o)) => t.keep_consent_of(o),
                (AnyRecord::Person(p), AnyRecord::Person(o)) => p.keep_protection_of(o),
                _ => {}
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::FuzzyDate;
    use proptest::prelude::*;

    fn consent() -> impl Strategy<Value = Consent> {
        (
            proptest::collection::vec(any::<bool>(), 6),
            proptest::option::of(proptest::sample::select(vec![
                "none",
                "pseudonym",
                "full",
                "unheard-of",
            ])),
            proptest::option::of(2000i32..2030),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(b, anonymity, withdrawn, contact)| Consent {
                record: b[0],
                share_lawyers: b[1],
                share_courts: b[2],
                share_un: b[3],
                share_media: b[4],
                publish: b[5],
                anonymity: anonymity.map(str::to_owned),
                withdrawn: withdrawn.map(|y| y.to_string().parse::<FuzzyDate>().unwrap()),
                given: None,
                contact,
            })
    }

    fn allows(c: &Consent) -> [bool; 6] {
        [
            c.record,
            c.share_lawyers,
            c.share_courts,
            c.share_un,
            c.share_media,
            c.publish,
        ]
    }

    proptest! {
        /// The narrowest consent allows nothing either version refused,
        /// is withdrawn if either was, is at least as anonymous as both,
        /// and does not depend on which version was picked.
        #[test]
        fn the_narrowest_consent_never_allows_more_than_either(a in consent(), b in consent()) {
            let n = a.narrowest(&b);
            for ((n, a), b) in allows(&n).iter().zip(allows(&a)).zip(allows(&b)) {
                prop_assert!(!n || (a && b));
            }
            prop_assert_eq!(n.withdrawn.is_some(), a.withdrawn.is_some() || b.withdrawn.is_some());
            let rank = |c: &Consent| anonymity_rank(c.anonymity.as_deref());
            prop_assert!(rank(&n) >= rank(&a).max(rank(&b)));
            if a.contact == Some(false) || b.contact == Some(false) {
                prop_assert_eq!(n.contact, Some(false));
            }
            let m = b.narrowest(&a);
            prop_assert_eq!(allows(&n), allows(&m));
            prop_assert_eq!(&n.withdrawn, &m.withdrawn);
            prop_assert_eq!(rank(&n), rank(&m));
            prop_assert_eq!(n.contact, m.contact);
        }
    }

    fn person(protected: bool, pseudonym: Option<&str>) -> AnyRecord {
        AnyRecord::Person(
            serde_json::from_value(serde_json::json!({
                "id": "p-1", "names": [{"name": "Daniyar Moldashev", "kind": "primary"}],
                "protected": protected, "pseudonym": pseudonym,
            }))
            .unwrap(),
        )
    }

    #[test]
    fn a_person_protected_in_any_version_stays_protected_under_a_pseudonym() {
        let AnyRecord::Person(p) = person(false, None)
            .with_protections_of(&[person(false, None), person(true, Some("Witness D"))])
        else {
            unreachable!()
        };
        assert!(p.protected);
        assert_eq!(p.pseudonym.as_deref(), Some("Witness D"));
        let AnyRecord::Person(p) =
            person(false, Some("Own")).with_protections_of(&[person(true, Some("Other"))])
        else {
            unreachable!()
        };
        assert_eq!((p.protected, p.pseudonym.as_deref()), (true, Some("Own")));
        assert_eq!(
            person(false, None).with_protections_of(&[person(false, None)]),
            person(false, None)
        );
    }
}
