//! `wslgo env [--json]`: the desired environment and why (SPEC 7).

use super::hook::{Opts, refresh};
use crate::cli::Color;
use crate::shellenv::ShellEnv;
use crate::sysroot::Sys;
use serde_json::json;

pub(crate) fn run(json_out: bool, color: Color) -> i32 {
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
    let (bold, dim, yellow, reset) = if c {
        ("\x1b[1m", "\x1b[2m", "\x1b[33m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut s = String::new();
    let net = r
        .platform
        .networking
        .map(|n| format!(", {n:?} networking").to_lowercase())
        .unwrap_or_default();
    s.push_str(&format!(
        "{bold}platform{reset}  {:?} (kernel {}{net})\n",
        r.platform.kind,
        if r.platform.kernel.is_empty() {
            "unknown"
        } else {
            &r.platform.kernel
        }
    ));
    let width = report.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for v in &report {
        let val = match (&v.value, v.action) {
            (Some(x), _) => crate::warn::one_line(x),
            (None, _) => "(unset)".into(),
        };
        s.push_str(&format!(
            "{:<5} {:<width$} {val}\n      {dim}{:<width$} {}{reset}\n",
            v.action, v.name, "", v.reason
        ));
    }
    for n in &r.plan.notes {
        s.push_str(&format!("{dim}note  {}{reset}\n", crate::warn::one_line(n)));
    }
    for w in &r.outcome.show {
        s.push_str(&format!("{yellow}{}{reset}\n", w.line()));
    }
    super::emit(s.as_bytes());
    0
}

/// PATH's line in the report: wslgo's entries and where they go.
fn path_report(env: &ShellEnv, r: &super::hook::Refresh) -> Option<crate::diff::VarReport> {
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
    Some(crate::diff::VarReport {
        name: "PATH",
        action: "set",
        value,
        reason: reasons.join("; "),
    })
}
