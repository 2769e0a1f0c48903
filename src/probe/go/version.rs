//! Go versions, compared as the go command's `internal/gover` does.

use std::cmp::Ordering;

/// A Go version as `internal/gover` parses it (no `go` prefix): numbers kept as their decimal
/// text, so a hostile `go 1.99999999999999999999999` compares right instead of overflowing.
#[derive(Debug, Clone)]
pub(crate) struct GoVersion {
    /// As written (without `go`), for messages.
    pub text: String,
    major: String,
    minor: String,
    patch: String,
    /// `""` for releases, else `alpha`, `beta`, `rc`, ...
    kind: String,
    pre: String,
}

impl GoVersion {
    /// Parses `1.22`, `1.22.5`, `1.21rc1` (no `go` prefix); `None` when gover would not accept it.
    pub(crate) fn parse(s: &str) -> Option<GoVersion> {
        let text = s.to_string();
        let (major, x) = cut_int(s)?;
        let mut v = GoVersion {
            text,
            major: major.into(),
            minor: String::new(),
            patch: String::new(),
            kind: String::new(),
            pre: String::new(),
        };
        if x.is_empty() {
            // "1" is "1.0.0".
            v.minor = "0".into();
            v.patch = "0".into();
            return Some(v);
        }
        let (minor, x) = cut_int(x.strip_prefix('.')?)?;
        v.minor = minor.into();
        if x.is_empty() {
            // Before Go 1.21 a missing patch means ".0"; from 1.21 on, "1.21" < "1.21.0".
            if cmp_int(&v.minor, "21") == Ordering::Less {
                v.patch = "0".into();
            }
            return Some(v);
        }
        if let Some(rest) = x.strip_prefix('.') {
            // gover allows no pre-release on a patch release.
            let (patch, x) = cut_int(rest)?;
            if !x.is_empty() {
                return None;
            }
            v.patch = patch.into();
            return Some(v);
        }
        let i = x.bytes().take_while(u8::is_ascii_lowercase).count();
        if i == 0 {
            return None;
        }
        v.kind = x[..i].into();
        let x = &x[i..];
        if !x.is_empty() {
            let (pre, rest) = cut_int(x)?;
            if !rest.is_empty() {
                return None;
            }
            v.pre = pre.into();
        }
        Some(v)
    }

    /// A toolchain name (`go1.21.0`, `go1.21.0-custom`, `go1.21.0+auto`) as a version.
    pub(crate) fn from_toolchain(name: &str) -> Option<GoVersion> {
        if name.contains(['/', '\\']) {
            return None;
        }
        // gover.FromToolchain: `go1.2.3`, or a custom build's `<name>-go1.2.3`; a suffix after
        // a space, tab or `-` is cut (`go1.21.3-custom`); `+auto` is GOTOOLCHAIN syntax.
        let v = match name.strip_prefix("go") {
            Some(v) => v,
            None => &name[name.find("-go")? + 3..],
        };
        let v = v.split([' ', '\t', '-', '+']).next().unwrap_or(v);
        GoVersion::parse(v)
    }

    /// A release, not an alpha/beta/rc.
    pub(crate) fn is_release(&self) -> bool {
        self.kind.is_empty()
    }

    /// A language version (`1.22`: no patch, no pre-release), which from 1.21 on names no
    /// toolchain: the first release of language 1.22 is `go1.22.0` (gover's `IsLang`).
    pub(crate) fn is_lang(&self) -> bool {
        self.patch.is_empty() && self.kind.is_empty() && self.pre.is_empty()
    }

    /// The toolchain the go command asks for to satisfy this version as a `go` line
    /// (`cmd/go/internal/toolchain`): `go1.22` -> `go1.22.0` from 1.21 on (issue golang/go#62278),
    /// anything else `go` + the version.
    pub(crate) fn toolchain_for_go_line(&self) -> String {
        if self.is_lang() && self.can_switch() {
            format!("go{}.0", self.text)
        } else {
            format!("go{}", self.text)
        }
    }

    /// The version with at least Go 1.21's switching support (`GOTOOLCHAIN`).
    pub(crate) fn can_switch(&self) -> bool {
        GoVersion::parse("1.21").is_some_and(|v| *self >= v)
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "go{}", self.text)
    }
}

impl Ord for GoVersion {
    fn cmp(&self, o: &Self) -> Ordering {
        cmp_int(&self.major, &o.major)
            .then_with(|| cmp_int(&self.minor, &o.minor))
            .then_with(|| cmp_int(&self.patch, &o.patch))
            // "" (release) < "alpha" < "beta" < "rc": plain string order, as gover does.
            .then_with(|| self.kind.cmp(&o.kind))
            .then_with(|| cmp_int(&self.pre, &o.pre))
    }
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl PartialEq for GoVersion {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for GoVersion {}

/// A decimal number without leading zeros at the start of `x`, and the rest.
fn cut_int(x: &str) -> Option<(&str, &str)> {
    let i = x.bytes().take_while(u8::is_ascii_digit).count();
    if i == 0 || (x.as_bytes()[0] == b'0' && i != 1) {
        return None;
    }
    Some((&x[..i], &x[i..]))
}

/// Compares decimal texts without leading zeros; `""` is below every number.
fn cmp_int(x: &str, y: &str) -> Ordering {
    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
}
