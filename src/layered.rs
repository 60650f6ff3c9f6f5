//! Options that come in two layers, a TOML file and the command line, with the flags winning:
//! one struct is both the clap `Args` and the serde `Deserialize`, and [`layered!`] defines it
//! together with its merge, so that a new option is added (and documented) in one place.
//!
//! [`layered!`]: crate::layered

/// One field's value in a layer, over the value below it.
pub trait Layer {
    /// `self` where the upper layer gives it, else `below`.
    fn over(self, below: Self) -> Self;
}

/// Given or not.
impl<T> Layer for Option<T> {
    fn over(self, below: Self) -> Self {
        self.or(below)
    }
}

/// A repeatable flag replaces the file's list when given at all; it does not add to it.
impl<T> Layer for Vec<T> {
    fn over(self, below: Self) -> Self {
        if self.is_empty() { below } else { self }
    }
}

/// Defines a struct whose every field is a [`Layer`] (an `Option` or a `Vec`), and its
/// `overridden_by(self, flags) -> Self`: each field that `flags` gives, else this one's.
/// Attributes (derives, `#[arg]`, `#[serde]`, doc comments) pass through as written.
#[macro_export]
macro_rules! layered {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field_vis:vis $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[$field_meta])*
                $field_vis $field: $ty,
            )*
        }

        impl $name {
            /// These fields (the file's), with every field that `flags` gives taken from there.
            pub fn overridden_by(self, flags: $name) -> $name {
                $name {
                    $($field: $crate::layered::Layer::over(flags.$field, self.$field),)*
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Layer;

    crate::layered! {
        #[derive(Debug, Default, PartialEq)]
        struct Two {
            one: Option<u8>,
            many: Vec<u8>,
        }
    }

    #[test]
    fn the_upper_layer_wins_field_by_field() {
        let file = Two {
            one: Some(1),
            many: vec![1, 2],
        };
        assert_eq!(file.overridden_by(Two::default()).one, Some(1));
        let flags = Two {
            one: None,
            many: vec![3],
        };
        let file = Two {
            one: Some(1),
            many: vec![1, 2],
        };
        assert_eq!(
            file.overridden_by(flags),
            Two {
                one: Some(1),
                many: vec![3]
            }
        );
        assert_eq!(Some(2).over(Some(1)), Some(2));
        assert_eq!(Vec::<u8>::new().over(vec![1]), vec![1]);
    }
}
