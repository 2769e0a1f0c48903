//! LANG and LC_ALL (SPEC 5.1).
//!
//! `auto` keeps an inherited LANG that is an available UTF-8 locale and replaces any other
//! inherited value (`C`, `POSIX`, latin1, a locale that is not installed) with the first
//! available of [`FALLBACKS`]. An explicit `locale.lang` wins over an inherited LANG when it is
//! available. A value the user sets in this shell after wslgo set its own is kept, whatever it
//! is. LC_ALL follows LANG, but is not exported over the user's own LC_* categories.

use super::{Ctx, Desired, Plan};
use crate::probe::locale::{Locales, is_utf8};
use crate::warn::Warning;

/// The fallbacks after `locale.lang`, in order.
const FALLBACKS: &[&str] = &["C.UTF-8", "en_US.UTF-8"];

/// The categories LC_ALL overrides (glibc's, besides LC_ALL itself).
const CATEGORIES: &[&str] = &[
    "LC_CTYPE",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "LC_MONETARY",
    "LC_MESSAGES",
    "LC_PAPER",
    "LC_NAME",
    "LC_ADDRESS",
    "LC_TELEPHONE",
    "LC_MEASUREMENT",
    "LC_IDENTIFICATION",
];

/// The locales tried, in order: `locale.lang` (unless `auto`), then [`FALLBACKS`]. Doctor's
/// `locale.utf8` tries the same list.
pub(crate) fn candidates(wanted: &str) -> Vec<&str> {
    if wanted == "auto" {
        FALLBACKS.to_vec()
    } else {
        std::iter::once(wanted).chain(FALLBACKS.iter().copied()).collect()
    }
}

pub(crate) fn plan(ctx: &Ctx, p: &mut Plan) {
    let locales = ctx.facts.locales();
    if let Some(why) = &locales.archive_problem {
        p.note(format!("locale: {why}; only /usr/lib/locale/<name> directories count"));
    }
    let lang = plan_lang(ctx, p, locales);
    plan_lc_all(ctx, p, locales, lang.as_deref());
}

/// Decides LANG; returns the LANG the shell will have (for LC_ALL).
fn plan_lang(ctx: &Ctx, p: &mut Plan, locales: &Locales) -> Option<String> {
    let usable = |n: &str| locales.available(n) && is_utf8(n);
    let wanted = ctx.cfg.locale.lang.as_str();
    let explicit = (wanted != "auto").then_some(wanted);
    let cur = ctx.prior_str("LANG");
    let present = ctx.prior("LANG").is_some();

    if ctx.set_later("LANG") {
        p.put(Desired {
            name: "LANG",
            value: ctx.env.get("LANG").map(|v| v.to_os_string()),
            reason: "set in this shell after wslgo: yours".into(),
            replace_user: false,
        });
        return ctx.env.get_str("LANG").map(str::to_string);
    }
    if let Some(w) = explicit {
        if locales.available(w) {
            let reason = match cur {
                Some(c) if c != w => format!("locale.lang = {w} (over the inherited LANG={c})"),
                _ => format!("locale.lang = {w}"),
            };
            p.put(Desired {
                name: "LANG",
                value: Some(w.into()),
                reason,
                replace_user: present,
            });
            return Some(w.to_string());
        }
        p.note(format!("locale: locale.lang = {w} is not available here; auto's choice applies"));
    }
    let not_set = explicit.map_or(String::new(), |w| format!("locale.lang = {w} is not available; "));
    let fallback = FALLBACKS.iter().copied().find(|n| locales.available(n));
    match (cur, fallback) {
        (Some(c), _) if usable(c) => {
            p.put(Desired {
                name: "LANG",
                value: Some(c.into()),
                reason: format!("{not_set}{c} is an available UTF-8 locale"),
                replace_user: false,
            });
            Some(c.to_string())
        }
        (cur, Some(n)) => {
            let why = match cur {
                Some(c) if locales.available(c) => format!("the inherited LANG={c} is not UTF-8; {n} is available"),
                Some(c) => format!("the inherited LANG={c} is not available here; {n} is"),
                None if present => format!("the inherited LANG names no locale; {n} is available"),
                None => format!("{n} is the first available of {}", FALLBACKS.join(", ")),
            };
            p.put(Desired {
                name: "LANG",
                value: Some(n.into()),
                reason: format!("{not_set}{why}"),
                replace_user: present,
            });
            Some(n.to_string())
        }
        (_, None) => {
            p.unset("LANG", "no UTF-8 locale is available");
            let tried = candidates(wanted);
            p.warn(Warning::new(
                "locale-missing",
                "",
                format!("no UTF-8 locale is available (tried {})", tried.join(", ")),
                "sudo locale-gen en_US.UTF-8 (Debian: sudo apt-get install locales, uncomment en_US.UTF-8 in /etc/locale.gen, then sudo locale-gen)",
            ));
            cur.map(str::to_string)
        }
    }
}

fn plan_lc_all(ctx: &Ctx, p: &mut Plan, locales: &Locales, lang: Option<&str>) {
    let usable = |n: &str| locales.available(n) && is_utf8(n);
    if ctx.set_later("LC_ALL") {
        p.put(Desired {
            name: "LC_ALL",
            value: ctx.env.get("LC_ALL").map(|v| v.to_os_string()),
            reason: "set in this shell after wslgo: yours".into(),
            replace_user: false,
        });
        return;
    }
    let cur = ctx.prior_str("LC_ALL");
    let present = ctx.prior("LC_ALL").is_some();
    // An inherited LC_ALL that is not a usable UTF-8 locale overrides a good LANG: the trap.
    let bad = present && !cur.is_some_and(usable);
    // A UTF-8 LC_CTYPE is no choice LC_ALL would undo (the codeset stays UTF-8), and fish
    // exports LC_CTYPE=en_US.UTF-8 by itself when it starts without a locale.
    let own: Vec<&str> = CATEGORIES
        .iter()
        .copied()
        .filter(|c| match ctx.env.get_str(c).filter(|v| !v.is_empty()) {
            Some(v) => !(*c == "LC_CTYPE" && is_utf8(v)),
            None => ctx.env.get_nonempty(c).is_some(),
        })
        .collect();
    let raw_lang = lang;
    let lang = lang.filter(|l| usable(l));
    let not_exported = if !own.is_empty() {
        Some(format!(
            "not exported: LC_ALL would override your own {} (locale.lc_all applies only without them)",
            own.join(", ")
        ))
    } else if !ctx.cfg.locale.lc_all {
        Some("locale.lc_all = false".into())
    } else if let (None, Some(l)) = (lang, raw_lang) {
        Some(format!("not exported: LANG={l} is not UTF-8, and LC_ALL would override it"))
    } else if lang.is_none() {
        Some("no UTF-8 locale is available".into())
    } else {
        None
    };
    if let Some(why) = not_exported {
        let replace = bad && lang.is_some();
        let reason = match cur {
            Some(c) if replace => format!("{why}; the inherited LC_ALL={c} is not UTF-8 and would override LANG"),
            None if replace => format!("{why}; the inherited LC_ALL names no locale"),
            _ => why,
        };
        if !own.is_empty() {
            p.explain.push("LC_ALL");
        }
        p.put(Desired {
            name: "LC_ALL",
            value: None,
            reason,
            replace_user: replace,
        });
        return;
    }
    let Some(v) = lang else { return };
    let explicit = ctx.cfg.locale.lang != "auto";
    let d = match cur {
        // The user's own UTF-8 LC_ALL stays, unless locale.lang is explicit (LC_ALL would hide it).
        Some(c) if !bad && (!explicit || c == v) => Desired {
            name: "LC_ALL",
            value: Some(c.into()),
            reason: format!("{c} is an available UTF-8 locale"),
            replace_user: false,
        },
        Some(c) if !bad => Desired {
            name: "LC_ALL",
            value: Some(v.into()),
            reason: format!("same as LANG: locale.lang = {v} (over the inherited LC_ALL={c})"),
            replace_user: true,
        },
        Some(c) => Desired {
            name: "LC_ALL",
            value: Some(v.into()),
            reason: format!("same as LANG (the inherited LC_ALL={c} is not an available UTF-8 locale)"),
            replace_user: true,
        },
        None => Desired {
            name: "LC_ALL",
            value: Some(v.into()),
            reason: if present {
                "same as LANG (the inherited LC_ALL names no locale)".into()
            } else {
                "same as LANG (locale.lc_all = true)".into()
            },
            replace_user: present,
        },
    };
    p.put(d);
}
