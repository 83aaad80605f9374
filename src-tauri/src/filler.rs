//! A serde `Deserializer` that builds any request type with a distinct
//! canary string in every string field, recording the field each canary
//! went to. The redaction test uses it on every request type in
//! [`crate::ipc`]'s command list, so a new request type is checked without
//! anyone writing a sample of it.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// The canaries placed, with the field path each went to
/// (`BundleOpenRequest.passphrase`).
#[derive(Default)]
pub struct Canaries {
    placed: RefCell<Vec<(String, String)>>,
    /// Fields that refused a canary (a date parses its text), with the
    /// index of the plain value they get instead.
    plain: RefCell<HashMap<String, usize>>,
}

/// Values tried, in turn, in a field that refuses a canary.
const PLAIN: [&str; 4] = ["unknown", "2008", "en", "KZ"];

impl Canaries {
    fn next(&self, path: &str) -> String {
        if let Some(&i) = self.plain.borrow().get(path) {
            return PLAIN[i].to_owned();
        }
        let mut placed = self.placed.borrow_mut();
        let canary = format!("CANARY{:04}X", placed.len());
        placed.push((path.to_owned(), canary.clone()));
        canary
    }

    /// Every (field path, canary) placed.
    pub fn placed(&self) -> Vec<(String, String)> {
        self.placed.borrow().clone()
    }

    /// After a refusal: the field that got the last canary is the one that
    /// refused it; give it the next plain value. False when none is left.
    fn plain_for_last(&self) -> bool {
        let Some((path, _)) = self.placed.borrow().last().cloned() else {
            return false;
        };
        let mut plain = self.plain.borrow_mut();
        let next = plain.get(&path).map_or(0, |i| i + 1);
        if next >= PLAIN.len() {
            return false;
        }
        plain.insert(path, next);
        true
    }
}

/// Builds a `T` with canaries everywhere a string goes. A field that
/// refuses a canary (a date parses its text) gets a plain value instead,
/// and the build starts again; failing that, optional fields are left
/// empty.
pub fn fill<T: de::DeserializeOwned>(canaries: &Canaries) -> Result<T, Error> {
    let mut last = Error("not tried".into());
    for some in [true, false] {
        canaries.plain.borrow_mut().clear();
        loop {
            canaries.placed.borrow_mut().clear();
            match T::deserialize(Filler {
                canaries,
                path: String::new(),
                depth: 0,
                some,
            }) {
                Ok(value) => return Ok(value),
                Err(e) => last = e,
            }
            if !canaries.plain_for_last() {
                break;
            }
        }
    }
    Err(last)
}

/// Why a type could not be filled.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        Error(msg.to_string())
    }
}

const MAX_DEPTH: usize = 24;

struct Filler<'c> {
    canaries: &'c Canaries,
    path: String,
    depth: usize,
    /// Fill optional fields (else leave them empty).
    some: bool,
}

impl<'c> Filler<'c> {
    fn child(&self, segment: &str) -> Result<Self, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error(format!("{} nests too deeply", self.path)));
        }
        Ok(Filler {
            canaries: self.canaries,
            path: if self.path.is_empty() {
                segment.to_owned()
            } else {
                format!("{}.{segment}", self.path)
            },
            depth: self.depth + 1,
            some: self.some,
        })
    }
}

impl<'de> de::Deserializer<'de> for Filler<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_string(v)
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_bool(true)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_i8(1)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_i16(1)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_i32(1)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_i64(1)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_u8(1)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_u16(1)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_u32(1)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_u64(1)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_f32(1.0)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_f64(1.0)
    }
    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_char('c')
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_string(v)
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_string(self.canaries.next(&self.path))
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(v)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_byte_buf(self.canaries.next(&self.path).into_bytes())
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.some {
            v.visit_some(self)
        } else {
            v.visit_none()
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_seq(Items {
            filler: self.child("0")?,
            left: 1,
        })
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, Error> {
        v.visit_seq(Items {
            filler: self.child("0")?,
            left: len,
        })
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_tuple(len, v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_map(Fields {
            filler: self,
            fields: &[],
            one_free_entry: true,
        })
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let filler = if self.path.is_empty() {
            self.child(name)?
        } else {
            self
        };
        v.visit_map(Fields {
            filler,
            fields,
            one_free_entry: false,
        })
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let first = variants
            .first()
            .ok_or_else(|| Error(format!("{}: an enum without variants", self.path)))?;
        v.visit_enum(Variant {
            filler: self,
            name: first,
        })
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_string(v)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
}

struct Items<'c> {
    filler: Filler<'c>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let item = Filler {
            canaries: self.filler.canaries,
            path: self.filler.path.clone(),
            depth: self.filler.depth,
            some: self.filler.some,
        };
        seed.deserialize(item).map(Some)
    }
}

/// A struct's fields, each once (or one entry of a map).
struct Fields<'c> {
    filler: Filler<'c>,
    fields: &'static [&'static str],
    one_free_entry: bool,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if let Some(first) = self.fields.first() {
            let key: de::value::StrDeserializer<'_, Error> = first.into_deserializer();
            return seed.deserialize(key).map(Some);
        }
        if self.one_free_entry {
            return seed.deserialize(self.filler.child("key")?).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        if let Some((first, rest)) = self.fields.split_first() {
            self.fields = rest;
            return seed.deserialize(self.filler.child(first)?);
        }
        self.one_free_entry = false;
        seed.deserialize(self.filler.child("value")?)
    }
}

struct Variant<'c> {
    filler: Filler<'c>,
    name: &'static str,
}

impl<'de, 'c> de::EnumAccess<'de> for Variant<'c> {
    type Error = Error;
    type Variant = Filler<'c>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Filler<'c>), Error> {
        let key: de::value::StrDeserializer<'_, Error> = self.name.into_deserializer();
        let value = seed.deserialize(key)?;
        let filler = self.filler.child(self.name)?;
        Ok((value, filler))
    }
}

impl<'de> de::VariantAccess<'de> for Filler<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_tuple(self, len, v)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_map(Fields {
            filler: self,
            fields,
            one_free_entry: false,
        })
    }
}
