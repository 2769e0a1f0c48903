//! Diff: what the shell must do to go from its current environment to the plan.
//!
//! Ownership (SPEC 3) is decided here, against the state: a variable the user set is kept (but
//! for the plan's `replace_user` exceptions); PATH is shared, so only wslgo's own entries are
//! taken out and put back, and the user's entries keep their order.

use crate::hash::fnv;
use crate::plan::{PathEntry, Plan};
use crate::shellenv::{ShellEnv, split_path};
use crate::state::{Owner, Record, State, user_path, value_hash};
use crate::warn::Warning;
use serde::Serialize;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// One thing the shell must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    Set(&'static str, OsString),
    Unset(&'static str),
}

/// How `wslgo env` reports one variable.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct VarReport {
    pub name: &'static str,
    /// `set`, `unset` or `keep`.
    pub action: &'static str,
    /// The value wslgo sets, or the user's value it keeps (lossy UTF-8); null when absent.
    pub value: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub changes: Vec<Change>,
    pub state: State,
    /// Warnings to print now (not shown before, not silenced).
    pub show: Vec<Warning>,
    pub report: Vec<VarReport>,
}

/// Works out the changes. `quiet` silences warnings (`WSLGO_QUIET=1`); `disabled` lists the
/// warning ids the config turns off.
pub(crate) fn diff(plan: &Plan, env: &ShellEnv, old: &State, quiet: bool, disabled: &[String]) -> Outcome {
    let mut st = old.clone();
    let mut out = Outcome::default();
    for d in &plan.vars {
        let cur = env.get(d.name);
        let owner = old.owner(d.name, cur);
        let lossy = |v: &OsStr| String::from_utf8_lossy(v.as_bytes()).into_owned();
        match (owner, &d.value) {
            (Owner::User, Some(v)) if d.replace_user => {
                if cur != Some(v.as_os_str()) {
                    out.changes.push(Change::Set(d.name, v.clone()));
                }
                let orig = match old.record(d.name) {
                    Some(Record::Wslgo { orig, .. }) if old.owner(d.name, cur) == Owner::Wslgo => orig.clone(),
                    _ => cur.map(OsStr::to_os_string),
                };
                st.set_record(
                    d.name,
                    Some(Record::Wslgo {
                        set: value_hash(Some(v)),
                        orig,
                    }),
                );
                out.report.push(VarReport {
                    name: d.name,
                    action: "set",
                    value: Some(lossy(v)),
                    reason: d.reason.clone(),
                });
            }
            // An adopted proxy variable while the proxy is down: wslgo takes it over (its value
            // is the original, for deactivate) and removes it.
            (Owner::User, None) if d.replace_user => {
                if cur.is_some() {
                    out.changes.push(Change::Unset(d.name));
                }
                let orig = match old.record(d.name) {
                    Some(Record::Wslgo { orig, .. }) if old.owner(d.name, cur) == Owner::Wslgo => orig.clone(),
                    _ => cur.map(OsStr::to_os_string),
                };
                st.set_record(d.name, Some(Record::Wslgo { set: None, orig }));
                out.report.push(VarReport {
                    name: d.name,
                    action: "unset",
                    value: None,
                    reason: d.reason.clone(),
                });
            }
            (Owner::User, _) => {
                match old.record(d.name) {
                    Some(Record::Wslgo { .. }) => st.set_record(d.name, Some(Record::User)),
                    Some(Record::Inherited(h)) if Some(*h) != value_hash(cur) => st.set_record(d.name, Some(Record::User)),
                    None => st.set_record(d.name, value_hash(cur).map(Record::Inherited)),
                    _ => {}
                }
                let by = if cur.is_some() { "set by the user" } else { "unset by the user" };
                let reason = match &d.value {
                    Some(v) if cur == Some(v.as_os_str()) => format!("{by} ({})", d.reason),
                    None if cur.is_none() => format!("{by} ({})", d.reason),
                    _ => format!("{by}; wslgo would {}", describe(d.value.as_deref(), &d.reason)),
                };
                out.report.push(VarReport {
                    name: d.name,
                    action: "keep",
                    value: cur.map(lossy),
                    reason,
                });
            }
            (Owner::Wslgo | Owner::Free, Some(v)) => {
                if cur != Some(v.as_os_str()) {
                    out.changes.push(Change::Set(d.name, v.clone()));
                }
                let orig = match old.record(d.name) {
                    Some(Record::Wslgo { orig, .. }) => orig.clone(),
                    _ => None,
                };
                st.set_record(
                    d.name,
                    Some(Record::Wslgo {
                        set: value_hash(Some(v)),
                        orig,
                    }),
                );
                out.report.push(VarReport {
                    name: d.name,
                    action: "set",
                    value: Some(lossy(v)),
                    reason: d.reason.clone(),
                });
            }
            (Owner::Wslgo | Owner::Free, None) => {
                if cur.is_some() {
                    out.changes.push(Change::Unset(d.name));
                }
                // Recorded even when it was never there: a value the user exports later is then
                // seen as set in this shell, not inherited.
                let orig = match old.record(d.name) {
                    Some(Record::Wslgo { orig, .. }) => orig.clone(),
                    _ => None,
                };
                st.set_record(d.name, Some(Record::Wslgo { set: None, orig }));
                out.report.push(VarReport {
                    name: d.name,
                    action: "unset",
                    value: None,
                    reason: d.reason.clone(),
                });
            }
        }
    }

    if let Some(a) = &plan.adopted {
        st.adopted = Some(a.clone());
    }
    let (path, front, back) = new_path(env.get("PATH"), old, &plan.path_front, &plan.path_back);
    if let Some(p) = path {
        out.changes.push(Change::Set("PATH", p));
    }
    st.path_front = front;
    st.path_back = back;

    for w in &plan.warnings {
        let key = w.key();
        if st.was_shown(key) || quiet || disabled.iter().any(|d| d == w.id) {
            continue;
        }
        st.mark_shown(key);
        out.show.push(w.clone());
    }
    out.state = st;
    out
}

fn describe(v: Option<&OsStr>, reason: &str) -> String {
    match v {
        Some(v) => format!("set {} ({reason})", String::from_utf8_lossy(v.as_bytes())),
        None => format!("leave it unset ({reason})"),
    }
}

/// The new PATH (`None` when it stays as it is) and the hashes of wslgo's entries in it.
pub(crate) fn new_path(
    cur: Option<&OsStr>,
    old: &State,
    front: &[PathEntry],
    back: &[PathEntry],
) -> (Option<OsString>, Vec<u64>, Vec<u64>) {
    let entries: Vec<&OsStr> = match cur {
        Some(c) if !c.is_empty() => split_path(c),
        _ => Vec::new(),
    };
    let user = user_path(&entries, old);
    let mut f: Vec<&OsStr> = Vec::new();
    for e in front {
        let d = e.dir.as_os_str();
        if d.is_empty() || d.as_bytes().contains(&b':') || f.contains(&d) {
            continue;
        }
        f.push(d);
    }
    // Front entries already standing first in the user's PATH are not added again.
    if !f.is_empty() && user.len() >= f.len() && user[..f.len()] == f[..] {
        f.clear();
    }
    let mut b: Vec<&OsStr> = Vec::new();
    for e in back {
        let d = e.dir.as_os_str();
        if d.is_empty() || d.as_bytes().contains(&b':') || user.contains(&d) || f.contains(&d) || b.contains(&d) {
            continue;
        }
        b.push(d);
    }
    let all: Vec<&OsStr> = f.iter().chain(user.iter()).chain(b.iter()).copied().collect();
    let mut joined = Vec::new();
    for (i, e) in all.iter().enumerate() {
        if i > 0 {
            joined.push(b':');
        }
        joined.extend_from_slice(e.as_bytes());
    }
    let new = OsString::from_vec(joined);
    let unchanged = match cur {
        Some(c) => c == new.as_os_str(),
        None => all.is_empty(),
    };
    let hashes = |v: &[&OsStr]| v.iter().map(|e| fnv(e.as_bytes())).collect::<Vec<_>>();
    (if unchanged { None } else { Some(new) }, hashes(&f), hashes(&b))
}

/// What `wslgo deactivate` does: every variable wslgo owns goes back to its value before wslgo,
/// and wslgo's PATH entries leave.
pub(crate) fn restore(env: &ShellEnv, st: &State) -> Vec<Change> {
    let mut ch = Vec::new();
    for (name, rec) in &st.vars {
        let cur = env.get(name);
        if st.owner(name, cur) != Owner::Wslgo {
            continue;
        }
        if let Record::Wslgo { orig, .. } = rec {
            match orig {
                Some(o) if cur != Some(o.as_os_str()) => ch.push(Change::Set(name, o.clone())),
                None if cur.is_some() => ch.push(Change::Unset(name)),
                _ => {}
            }
        }
    }
    let (path, _, _) = new_path(env.get("PATH"), st, &[], &[]);
    if let Some(p) = path {
        ch.push(Change::Set("PATH", p));
    }
    ch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(s: &str) -> PathEntry {
        PathEntry {
            dir: s.into(),
            reason: String::new(),
        }
    }

    fn env(pairs: &[(&str, &str)]) -> ShellEnv {
        ShellEnv::from_pairs(pairs.iter().map(|(k, v)| (*k, *v)))
    }

    #[test]
    fn path_add_then_remove_keeps_user_order() {
        let st0 = State::default();
        let (p, f, b) = new_path(
            Some(OsStr::new("/u1:/usr/bin:/u2")),
            &st0,
            &[entry("/sdk/bin")],
            &[entry("/gp/bin")],
        );
        let p = p.unwrap();
        assert_eq!(p, "/sdk/bin:/u1:/usr/bin:/u2:/gp/bin");
        let st = State {
            path_front: f,
            path_back: b,
            ..State::default()
        };
        // The user prepends an entry of their own; wslgo switches SDK.
        let cur = OsString::from(format!("/mine:{}", p.to_str().unwrap()));
        let (p2, ..) = new_path(Some(&cur), &st, &[entry("/sdk2/bin")], &[entry("/gp/bin")]);
        assert_eq!(p2.unwrap(), "/sdk2/bin:/mine:/u1:/usr/bin:/u2:/gp/bin");
        // Removing everything gives the user's PATH back.
        let (p3, f3, b3) = new_path(Some(&cur), &st, &[], &[]);
        assert_eq!(p3.unwrap(), "/mine:/u1:/usr/bin:/u2");
        assert!(f3.is_empty() && b3.is_empty());
    }

    #[test]
    fn path_does_not_duplicate_user_entries() {
        let st = State::default();
        let (p, f, b) = new_path(
            Some(OsStr::new("/sdk/bin:/usr/bin:/gp/bin")),
            &st,
            &[entry("/sdk/bin")],
            &[entry("/gp/bin")],
        );
        assert_eq!(p, None);
        assert!(f.is_empty() && b.is_empty());
    }

    #[test]
    fn ownership_rules() {
        let mut plan = Plan::default();
        plan.set("GOPATH", "/h/go", "default");
        plan.set("LANG", "C.UTF-8", "fallback");
        plan.unset("GOMAXPROCS", "no quota");
        let e = env(&[("LANG", "en_US.UTF-8"), ("GOMAXPROCS", "7")]);
        let o = diff(&plan, &e, &State::default(), false, &[]);
        assert_eq!(o.changes, vec![Change::Set("GOPATH", "/h/go".into())]);
        let acts: Vec<_> = o.report.iter().map(|r| (r.name, r.action)).collect();
        assert_eq!(acts, vec![("GOPATH", "set"), ("LANG", "keep"), ("GOMAXPROCS", "keep")]);
        // The user changes GOPATH: it is theirs from then on, even when wslgo wants another value.
        let e2 = env(&[("LANG", "en_US.UTF-8"), ("GOPATH", "/mine")]);
        let o2 = diff(&plan, &e2, &o.state, false, &[]);
        assert!(o2.changes.is_empty());
        assert_eq!(o2.state.record("GOPATH"), Some(&Record::User));
        let e3 = env(&[("LANG", "en_US.UTF-8")]);
        assert!(
            diff(&plan, &e3, &o2.state, false, &[]).changes.is_empty(),
            "unset by the user stays unset"
        );
    }

    #[test]
    fn replace_user_and_restore() {
        let mut plan = Plan::default();
        plan.put(crate::plan::Desired {
            name: "LANG",
            value: Some("C.UTF-8".into()),
            reason: "x".into(),
            replace_user: true,
        });
        let e = env(&[("LANG", "xx_YY.UTF-8")]);
        let o = diff(&plan, &e, &State::default(), false, &[]);
        assert_eq!(o.changes, vec![Change::Set("LANG", "C.UTF-8".into())]);
        let e2 = env(&[("LANG", "C.UTF-8")]);
        assert_eq!(restore(&e2, &o.state), vec![Change::Set("LANG", "xx_YY.UTF-8".into())]);
        // Refreshing again keeps the original for deactivate.
        let o2 = diff(&plan, &e2, &o.state, false, &[]);
        assert!(o2.changes.is_empty());
        assert_eq!(restore(&e2, &o2.state), vec![Change::Set("LANG", "xx_YY.UTF-8".into())]);
    }

    #[test]
    fn warnings_once() {
        let mut plan = Plan::default();
        plan.warn(Warning::new("go-missing", "", "no Go", "install one"));
        let e = env(&[]);
        let o = diff(&plan, &e, &State::default(), false, &[]);
        assert_eq!(o.show.len(), 1);
        assert!(diff(&plan, &e, &o.state, false, &[]).show.is_empty());
        assert!(diff(&plan, &e, &State::default(), true, &[]).show.is_empty());
        assert!(diff(&plan, &e, &State::default(), false, &["go-missing".into()]).show.is_empty());
    }
}
