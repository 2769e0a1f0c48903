//! LANG and LC_ALL (SPEC 5.1).

use super::{Ctx, Desired, Plan};
use crate::probe::locale::is_utf8;
use crate::warn::Warning;

/// The fallbacks after `locale.lang`, in order.
const FALLBACKS: &[&str] = &["C.UTF-8", "en_US.UTF-8"];

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
    let wanted = ctx.cfg.locale.lang.as_str();
    let candidates = candidates(wanted);
    let pick = candidates.iter().copied().find(|n| locales.available(n));

    // LANG: the user's value is kept when it names an available locale (even a non-UTF-8 one:
    // SPEC 3's ownership rule); an unavailable one is replaced.
    // The user's LANG, when it is text; one that is set but not UTF-8 text (or empty) names no
    // locale and is replaced like any unavailable one.
    let lang_set = ctx.prior("LANG").is_some();
    let cur = ctx.prior_str("LANG");
    let lang_value: Option<String> = match (cur, pick) {
        (Some(c), _) if locales.available(c) && is_utf8(c) => {
            p.put(Desired {
                name: "LANG",
                value: Some(c.into()),
                reason: format!("{c} is an available UTF-8 locale"),
                replace_user: false,
            });
            Some(c.to_string())
        }
        (Some(c), _) if locales.available(c) => {
            p.put(Desired {
                name: "LANG",
                value: None,
                reason: format!("{c} is available but not UTF-8; kept as the user's (set locale.lang or unset LANG to switch)"),
                replace_user: false,
            });
            Some(c.to_string())
        }
        (cur, Some(n)) => {
            let why = match cur {
                Some(c) => format!("{c} is not available here; {n} is"),
                None if wanted != "auto" && n == wanted => format!("locale.lang = {n}"),
                None if wanted != "auto" => format!("locale.lang = {wanted} is not available; {n} is"),
                None if lang_set => format!("the user's LANG names no locale; {n} is available"),
                None => format!("{n} is the first available of {}", FALLBACKS.join(", ")),
            };
            p.put(Desired {
                name: "LANG",
                value: Some(n.into()),
                reason: why,
                replace_user: lang_set,
            });
            Some(n.to_string())
        }
        (_, None) => {
            p.unset("LANG", "no UTF-8 locale is available");
            let tried = candidates.join(", ");
            p.warn(Warning::new(
                "locale-missing",
                "",
                format!("no UTF-8 locale is available (tried {tried})"),
                "sudo locale-gen en_US.UTF-8 (Debian: sudo apt-get install locales, uncomment en_US.UTF-8 in /etc/locale.gen, then sudo locale-gen)",
            ));
            None
        }
    };

    let lc_cur = ctx.prior_str("LC_ALL");
    let lc_bad_user = ctx.prior("LC_ALL").is_some() && !lc_cur.is_some_and(|c| locales.available(c));
    match (ctx.cfg.locale.lc_all, lang_value) {
        (true, Some(v)) => p.put(Desired {
            name: "LC_ALL",
            value: Some(v.clone().into()),
            reason: match lc_cur {
                Some(c) if lc_bad_user => format!("{c} is not available; same as LANG"),
                None if lc_bad_user => "the user's LC_ALL names no locale; same as LANG".into(),
                _ => "same as LANG (locale.lc_all = true)".into(),
            },
            replace_user: lc_bad_user,
        }),
        (true, None) => p.unset("LC_ALL", "no UTF-8 locale is available"),
        (false, _) => p.unset("LC_ALL", "locale.lc_all = false"),
    }
}
