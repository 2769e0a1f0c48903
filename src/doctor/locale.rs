//! `locale.utf8`: does this shell run in an available UTF-8 locale (SPEC 5.1)?

use super::{Check, Input};
use crate::probe::locale::{Locales, is_utf8};

pub(crate) fn checks(inp: &Input) -> Vec<Check> {
    vec![utf8(inp)]
}

fn utf8(inp: &Input) -> Check {
    const ID: &str = "locale.utf8";
    let l = Locales::probe(inp.sys);
    let note = l
        .archive_problem
        .as_ref()
        .map(|p| format!(" ({p}; only /usr/lib/locale/<name> directories count)"))
        .unwrap_or_default();
    // What programs use: LC_ALL over LANG.
    let (var, cur) = match (
        inp.env.get_str("LC_ALL").filter(|v| !v.is_empty()),
        inp.env.get_str("LANG").filter(|v| !v.is_empty()),
    ) {
        (Some(v), _) => ("LC_ALL", Some(v)),
        (None, Some(v)) => ("LANG", Some(v)),
        (None, None) => ("LANG", None),
    };
    if let Some(c) = cur
        && is_utf8(c)
        && l.available(c)
    {
        let how = if l.musl { "musl accepts every name" } else { "available" };
        return Check::ok(ID, format!("{var}={c}, a UTF-8 locale, {how}{note}"));
    }
    let tried = crate::plan::locale::candidates(inp.cfg.locale.lang.as_str());
    let pick = tried.iter().copied().find(|n| l.available(n));
    let problem = match cur {
        None => "LANG is unset: programs fall back to the ASCII \"C\" locale".to_string(),
        Some(c) if !l.available(c) => format!("{var}={c} is not installed here (programs fall back to \"C\")"),
        Some(c) => format!("{var}={c} is not UTF-8"),
    };
    match pick {
        Some(p) => Check::warn(
            ID,
            format!("{problem}; {p} is available{note}"),
            format!("{}; or: export LANG={p}", super::shell::init_fix(inp, "sets it")),
        ),
        None => Check::fail(
            ID,
            format!("{problem}, and no UTF-8 locale is available (tried {}){note}", tried.join(", ")),
            "sudo apt-get install locales && sudo locale-gen en_US.UTF-8 (or uncomment en_US.UTF-8 in /etc/locale.gen, then sudo locale-gen)",
        ),
    }
}
