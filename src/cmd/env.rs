//! `wslgo env [--all] [--json]`: the desired environment and why.
//!
//! For people, by default: what wslgo sets, changes, or keeps for a reason worth reading, with
//! the proxy variables folded into one row; `--all` lists every managed variable. The JSON is
//! always complete (every managed variable, SPEC 7's shape).

use super::hook::{Opts, Refresh, refresh};
use crate::cli::Color;
use crate::diff::VarReport;
use crate::shellenv::ShellEnv;
use crate::state::PROXY_VARS;
use crate::sysroot::Sys;
use serde_json::json;

pub(crate) fn run(all: bool, json_out: bool, color: Color) -> i32 {
    let env = ShellEnv::from_process();
    let sys = Sys::from_env();
    let r = refresh(
        &env,
        &sys,
        &Opts {
            shell: None,
            login: false,
            first_prompt: true,
            init: false,
            interactive: true,
            lent_cfg: false,
        },
    );
    let mut report = r.outcome.report.clone();
    // What the state can carry: an original too long to keep is said here (SPEC 11: wslgo
    // stores less and says so, never a state it could not read back).
    let kept = r.outcome.state.fitted();
    for v in &mut report {
        if kept.original_lost(v.name) {
            v.reason.push_str(&format!(
                "; the value {} had before wslgo was too long to keep (over {} bytes, or the state's {} KiB cap): deactivate unsets it instead of restoring it",
                v.name,
                crate::state::MAX_ORIG,
                crate::state::MAX_LEN / 1024
            ));
        }
    }
    if let Some(path) = path_report(&env, &r) {
        report.push(path);
    }
    if json_out {
        let v = json!({
            "platform": r.platform,
            "vars": report,
            "warnings": r.outcome.show.iter().map(|w| json!({"id": w.id, "message": w.message})).collect::<Vec<_>>(),
            "notes": r.plan.notes,
        });
        super::emit(format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()).as_bytes());
        return 0;
    }
    let c = super::use_color(color, false);
    super::emit(human(&env, &r, &report, all, c).as_bytes());
    0
}

/// One row of the human table.
struct Row {
    action: &'static str,
    name: String,
    value: String,
    reason: String,
}

/// The table for people.
pub fn human(env: &ShellEnv, r: &Refresh, report: &[VarReport], all: bool, color: bool) -> String {
    let (bold, dim, yellow, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[33m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let one = crate::warn::one_line;
    let mut s = String::new();
    let net = r
        .platform
        .networking
        .map(|n| format!(", {n:?} networking").to_lowercase())
        .unwrap_or_default();
    let kernel = if r.platform.kernel.is_empty() {
        "unknown"
    } else {
        &r.platform.kernel
    };
    let kind = match format!("{:?}", r.platform.kind).as_str() {
        k if k.starts_with("Wsl") => k.to_uppercase(),
        k => k.to_string(),
    };
    s.push_str(&format!("{bold}platform{reset}  {kind} (kernel {}{net})\n", one(kernel)));
    let rows = if all {
        report.iter().map(row).collect()
    } else {
        worth_reading(env, r, report)
    };
    if rows.is_empty() {
        s.push_str("nothing to set\n");
    }
    let width = rows.iter().map(|x| x.name.len()).max().unwrap_or(0);
    for x in &rows {
        s.push_str(&format!(
            "{:<5} {:<width$}  {}\n      {:<width$}  {dim}{}{reset}\n",
            x.action,
            x.name,
            one(&x.value),
            "",
            one(&x.reason)
        ));
    }
    for n in &r.plan.notes {
        s.push_str(&format!("{dim}note  {}{reset}\n", one(n)));
    }
    for w in &r.outcome.show {
        s.push_str(&format!("{yellow}{}{reset}\n", w.line()));
    }
    if !all {
        s.push_str(&format!("{dim}(wslgo env --all lists every variable wslgo manages){reset}\n"));
    }
    s
}

fn row(v: &VarReport) -> Row {
    Row {
        action: v.action,
        name: v.name.to_string(),
        value: v.value.clone().unwrap_or_else(|| "(not set)".into()),
        reason: v.reason.clone(),
    }
}

/// The rows worth reading: what wslgo sets, what it removes, what the user keeps that differs
/// from wslgo's choice, and what a planner asked to explain; the proxy variables as one row.
fn worth_reading(env: &ShellEnv, r: &Refresh, report: &[VarReport]) -> Vec<Row> {
    let mut rows = Vec::new();
    for v in report.iter().filter(|v| !PROXY_VARS.contains(&v.name)) {
        let present = env.get(v.name).is_some();
        let show = match v.action {
            "set" => true,
            "unset" => present || r.plan.explain.contains(&v.name),
            // A user's value, or a user's removal of one wslgo wanted.
            _ => v.value.is_some() || r.plan.get(v.name).is_some_and(|d| d.value.is_some()),
        };
        if show {
            rows.push(row(v));
        }
    }
    if let Some(p) = proxy_row(env, report) {
        rows.push(p);
    }
    rows
}

/// The proxy variables in one row: the URL they carry (and no_proxy), or what is removed or kept.
fn proxy_row(env: &ShellEnv, report: &[VarReport]) -> Option<Row> {
    let vars: Vec<&VarReport> = report.iter().filter(|v| PROXY_VARS.contains(&v.name)).collect();
    let set: Vec<&&VarReport> = vars.iter().filter(|v| v.action == "set").collect();
    let kept: Vec<&&VarReport> = vars.iter().filter(|v| v.action == "keep" && v.value.is_some()).collect();
    let removed: Vec<&&VarReport> = vars.iter().filter(|v| v.action == "unset" && env.get(v.name).is_some()).collect();
    let names = |v: &[&&VarReport]| v.iter().map(|x| x.name).collect::<Vec<_>>().join(" ");
    if let Some(url) = set.iter().find(|v| !v.name.eq_ignore_ascii_case("no_proxy")) {
        let np = set
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case("no_proxy"))
            .and_then(|v| v.value.clone());
        let value = match np {
            Some(np) => format!("{} (no_proxy={np})", url.value.clone().unwrap_or_default()),
            None => url.value.clone().unwrap_or_default(),
        };
        return Some(Row {
            action: "set",
            name: "proxy".into(),
            value,
            reason: format!("{}: {}", names(&set), url.reason),
        });
    }
    if !removed.is_empty() {
        return Some(Row {
            action: "unset",
            name: "proxy".into(),
            value: "(not set)".into(),
            reason: format!("{}: {}", names(&removed), removed[0].reason),
        });
    }
    if !kept.is_empty() {
        let value = kept
            .iter()
            .find(|v| !v.name.eq_ignore_ascii_case("no_proxy"))
            .or(kept.first())
            .and_then(|v| v.value.clone())
            .unwrap_or_default();
        return Some(Row {
            action: "keep",
            name: "proxy".into(),
            value,
            reason: format!("{}: {}", names(&kept), kept[0].reason),
        });
    }
    None
}

/// PATH's line in the report: wslgo's entries and where they go.
fn path_report(env: &ShellEnv, r: &Refresh) -> Option<VarReport> {
    if r.plan.path_front.is_empty() && r.plan.path_back.is_empty() {
        return None;
    }
    let lossy = |e: &crate::plan::PathEntry| String::from_utf8_lossy(e.dir.as_encoded_bytes()).into_owned();
    let reasons: Vec<String> = r
        .plan
        .path_front
        .iter()
        .chain(r.plan.path_back.iter())
        .map(|e| format!("{}: {}", lossy(e), e.reason))
        .collect();
    let (new, ..) = crate::diff::new_path(env.get("PATH"), &r.outcome.state, &r.plan.path_front, &r.plan.path_back);
    let value = new
        .map(|p| String::from_utf8_lossy(p.as_encoded_bytes()).into_owned())
        .or_else(|| env.get_str("PATH").map(str::to_string));
    Some(VarReport {
        name: "PATH",
        action: "set",
        value,
        reason: reasons.join("; "),
    })
}
