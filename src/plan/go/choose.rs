//! Which SDK GOROOT names: the default (outside modules) and the module's choice (SPEC 5.2).
//! Pure functions of what [`crate::probe::go`] found, so unit tests drive them with data.

use crate::probe::go::{Discovery, Module};

/// The default SDK (outside modules) and why, in SPEC 5.2's order: `go.root`; else a valid
/// GOROOT the shell already had; else the SDK behind the first `go` on the user's own PATH
/// (installing another SDK with golang.org/dl never changes which `go` a user gets); else
/// `/usr/local/go`; else the newest found (an installed one before a toolchain the go command
/// downloaded into its module cache, which `go clean -modcache` removes).
pub(crate) fn default_sdk(d: &Discovery) -> Option<(usize, String)> {
    if let Some(Ok(i)) = d.cfg_root {
        return Some((i, "go.root in the config".into()));
    }
    if let Some(Ok(i)) = d.user_goroot {
        return Some((i, "the GOROOT set before wslgo".into()));
    }
    if let (Some(i), Some(pg)) = (d.path_go_sdk, &d.path_go) {
        return Some((i, format!("the SDK of the first go on your PATH, {}/go", pg.dir.display())));
    }
    if let Some(i) = d.usr_local_go {
        return Some((i, "/usr/local/go".into()));
    }
    let newest = |downloaded: bool| {
        (0..d.sdks.len())
            .filter(|&i| d.sdks[i].downloaded == downloaded)
            .reduce(|a, b| if d.sdks[b].version > d.sdks[a].version { b } else { a })
    };
    if let Some(i) = newest(false) {
        return Some((i, "the newest SDK found".into()));
    }
    newest(true).map(|i| (i, "the newest toolchain the go command downloaded (no other SDK found)".into()))
}

/// The SDK for this directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    pub default: Option<usize>,
    pub pick: Option<usize>,
    /// Why [`Choice::pick`], for `wslgo env`.
    pub why: String,
}

/// Picks the SDK for the module governing the working directory (SPEC 5.2's order): the
/// `toolchain` line's SDK when installed and not older than the `go` line; else the default
/// when it is new enough; else the oldest installed release at or above the `go` line (a
/// pre-release only when no release fits); else the default stays (whether the go command
/// then switches by itself is [`super::toolchain`]'s question).
pub(crate) fn choose(d: &Discovery, m: Option<&Module>) -> Choice {
    let def = default_sdk(d);
    let default = def.as_ref().map(|(i, _)| *i);
    let mut c = Choice {
        default,
        pick: default,
        why: match &def {
            Some((i, why)) => format!("{} is the default SDK ({why})", d.sdks[*i].version),
            None => "no Go SDK found".into(),
        },
    };
    let (Some(m), Some(di)) = (m, default) else {
        return c;
    };
    let file = m.file.display();
    let ver = |i: usize| &d.sdks[i].version;
    // Among SDKs with the same version, the default wins, then an installed one over a
    // downloaded one, then the first found.
    let prefer = |cands: &mut dyn Iterator<Item = usize>| -> Option<usize> {
        let mut best: Option<usize> = None;
        for i in cands {
            best = match best {
                None => Some(i),
                Some(b)
                    if ver(i) < ver(b) || (ver(i) == ver(b) && (i == di || (b != di && d.sdks[b].downloaded && !d.sdks[i].downloaded))) =>
                {
                    Some(i)
                }
                keep => keep,
            };
        }
        best
    };
    let how = |i: usize| {
        if d.sdks[i].downloaded {
            " (downloaded by the go command)"
        } else {
            ""
        }
    };
    let mut tc_note = String::new();
    if let Some(tc) = &m.toolchain {
        if m.go.as_ref().is_some_and(|g| tc < g) {
            tc_note = format!("; its toolchain {tc} is older than its go line and is ignored");
        } else if let Some(i) = prefer(&mut (0..d.sdks.len()).filter(|&i| ver(i) == tc)) {
            c.pick = Some(i);
            c.why = format!("{tc}{}: the toolchain line of {file}", how(i));
            return c;
        } else {
            tc_note = format!("; its toolchain {tc} is not installed");
        }
    }
    let Some(need) = &m.go else {
        c.why = format!("{} is the default SDK; {file} has no usable go line{tc_note}", ver(di));
        return c;
    };
    if ver(di) >= need {
        c.why = format!(
            "{} is the default SDK and is new enough for go {} in {file}{tc_note}",
            ver(di),
            need.text
        );
        return c;
    }
    let fits = |rel: bool| prefer(&mut (0..d.sdks.len()).filter(|&i| ver(i) >= need && ver(i).is_release() == rel));
    if let Some(i) = fits(true).or_else(|| fits(false)) {
        c.pick = Some(i);
        c.why = format!(
            "{}{}: the oldest installed SDK at or above go {} in {file} (the default {} is older){tc_note}",
            ver(i),
            how(i),
            need.text,
            ver(di)
        );
        return c;
    }
    c.why = format!(
        "{} stays: {file} needs go {} and no installed SDK is that new{tc_note}",
        ver(di),
        need.text
    );
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::go::{GoVersion, PathGo, Sdk};
    use std::path::PathBuf;

    fn v(s: &str) -> GoVersion {
        GoVersion::parse(s).unwrap()
    }

    fn disc(versions: &[&str]) -> Discovery {
        Discovery {
            sdks: versions
                .iter()
                .enumerate()
                .map(|(i, s)| Sdk {
                    root: PathBuf::from(format!("/sdk/{i}")),
                    version: v(s),
                    found_as: vec![],
                    downloaded: false,
                })
                .collect(),
            ..Discovery::default()
        }
    }

    fn module(go: Option<&str>, tc: Option<&str>) -> Module {
        Module {
            file: "/m/go.mod".into(),
            go: go.map(v),
            toolchain: tc.map(v),
            ..Module::default()
        }
    }

    #[test]
    fn default_order() {
        let mut d = disc(&["1.19.8", "1.22.5", "1.21.0", "1.23.4"]);
        d.sdks[3].downloaded = true;
        assert_eq!(default_sdk(&d).unwrap().0, 1, "newest installed, not the newer downloaded one");
        d.usr_local_go = Some(2);
        assert_eq!(default_sdk(&d).unwrap().0, 2, "/usr/local/go beats newest");
        d.path_go = Some(PathGo {
            dir: "/usr/bin".into(),
            root: Some("/sdk/0".into()),
        });
        d.path_go_sdk = Some(0);
        let (i, why) = default_sdk(&d).unwrap();
        assert_eq!(i, 0, "the go on the user's PATH beats /usr/local/go and the newest");
        assert!(why.contains("/usr/bin/go"), "{why}");
        d.user_goroot = Some(Err("x".into()));
        assert_eq!(default_sdk(&d).unwrap().0, 0, "an invalid GOROOT does not count");
        d.user_goroot = Some(Ok(2));
        assert_eq!(default_sdk(&d).unwrap().0, 2, "the user's valid GOROOT beats PATH's go");
        d.cfg_root = Some(Ok(1));
        assert_eq!(default_sdk(&d).unwrap().0, 1, "go.root beats everything");
        d.cfg_root = Some(Err("not an SDK".into()));
        assert_eq!(default_sdk(&d).unwrap().0, 2, "an invalid go.root does not count");
        assert!(default_sdk(&disc(&[])).is_none());
        let mut only_dl = disc(&["1.22.0", "1.23.1"]);
        only_dl.sdks.iter_mut().for_each(|s| s.downloaded = true);
        assert_eq!(default_sdk(&only_dl).unwrap().0, 1, "downloaded toolchains when nothing else");
    }

    #[test]
    fn module_rules() {
        // Default /usr/local/go = 1.21.0; installed: 1.19.8, 1.22.5, 1.21.0, 1.22.1, 1.23rc1.
        let mut d = disc(&["1.19.8", "1.22.5", "1.21.0", "1.22.1", "1.23rc1"]);
        d.usr_local_go = Some(2);
        let pick = |m: Module| choose(&d, Some(&m));
        assert_eq!(
            pick(module(Some("1.21"), Some("1.19.8"))).pick,
            Some(2),
            "toolchain older than go line: ignored"
        );
        assert_eq!(
            pick(module(Some("1.18"), Some("1.19.8"))).pick,
            Some(0),
            "toolchain wins over a new-enough default"
        );
        assert_eq!(
            pick(module(Some("1.21"), Some("1.21.7"))).pick,
            Some(2),
            "toolchain not installed: default"
        );
        assert_eq!(pick(module(Some("1.21"), None)).pick, Some(2), "1.21 < 1.21.0: default new enough");
        assert_eq!(pick(module(Some("1.21.1"), None)).pick, Some(3), "oldest release at or above");
        assert_eq!(pick(module(Some("1.22"), None)).pick, Some(3));
        assert_eq!(pick(module(Some("1.23"), None)).pick, Some(4), "a pre-release when no release fits");
        let c = choose(&d, Some(&module(Some("1.24"), None)));
        assert_eq!(c.pick, Some(2), "nothing fits: the default stays");
        assert!(c.why.contains("stays"), "{}", c.why);
        assert_eq!(pick(module(None, None)).pick, Some(2));
        assert_eq!(choose(&d, None).pick, Some(2));
        assert_eq!(choose(&disc(&[]), Some(&module(Some("1.21"), None))).pick, None);
    }

    #[test]
    fn same_version_prefers_default_then_installed() {
        let mut d = disc(&["1.22.5", "1.21.0", "1.22.5"]);
        d.usr_local_go = Some(1);
        assert_eq!(choose(&d, Some(&module(Some("1.22"), None))).pick, Some(0));
        d.sdks[0].downloaded = true;
        assert_eq!(
            choose(&d, Some(&module(Some("1.22"), None))).pick,
            Some(2),
            "an installed SDK before the same version downloaded"
        );
        d.usr_local_go = None;
        d.cfg_root = Some(Ok(2));
        assert_eq!(choose(&d, Some(&module(Some("1.22"), Some("1.22.5")))).pick, Some(2));
    }

    #[test]
    fn downloaded_toolchain_serves_its_toolchain_line() {
        let mut d = disc(&["1.21.0", "1.22.3"]);
        d.sdks[1].downloaded = true;
        d.usr_local_go = Some(0);
        let c = choose(&d, Some(&module(Some("1.22"), Some("1.22.3"))));
        assert_eq!(c.pick, Some(1));
        assert!(c.why.contains("downloaded"), "{}", c.why);
    }
}
