//! `wslgo hook <shell>`: one refresh. Also the engine behind `init` and `env`.

use crate::config::{self, Config, Issue};
use crate::diff::{self, Outcome};
use crate::plan::{self, Ctx, Plan};
use crate::probe::Facts;
use crate::probe::memo::{self, Memo};
use crate::probe::wsl::Platform;
use crate::render;
use crate::shell::Shell;
use crate::shellenv::ShellEnv;
use crate::state::{self, State};
use crate::sysroot::Sys;
use crate::warn::Warning;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// The exported variable that caches the parsed config, keyed by the file's stamp, so that a
/// refresh reads no TOML unless the file changed.
pub(crate) const CFG_VAR: &str = "__WSLGO_CFG";

/// What a run found and decided.
pub struct Refresh {
    pub(crate) platform: Platform,
    pub(crate) plan: Plan,
    pub(crate) outcome: Outcome,
    pub(crate) config: Config,
    /// The new value of [`CFG_VAR`], when it must change.
    pub(crate) cfg_cache: Option<String>,
    /// The new value of the discovery cache ([`memo::VAR`]), when it must change.
    pub(crate) disc_cache: Option<String>,
    /// The encoded state, when it differs from what the shell has (else nothing is printed).
    pub(crate) state_code: Option<String>,
}

pub struct Opts {
    pub shell: Option<Shell>,
    pub login: bool,
    pub first_prompt: bool,
    /// `wslgo init`'s refresh.
    pub init: bool,
    /// `wslgo env`: read the config file afresh and show every warning that applies.
    pub interactive: bool,
    /// The config cache in the environment was lent by the warm-start file (`wslgo init` in a
    /// new terminal), not carried by this shell: it serves while the config file is unchanged,
    /// but holds no last good values (a broken key gets its default, as in any new shell).
    pub lent_cfg: bool,
}

/// Probes, plans and diffs against the shell's state.
pub fn refresh(env: &ShellEnv, sys: &Sys, o: &Opts) -> Refresh {
    let old = State::decode(env.get(state::VAR));
    let (config, issues, cfg_cache) = load_config(env, o.interactive, o.lent_cfg);
    let platform = Platform::detect(sys, env.is_set("WSL_DISTRO_NAME"));
    // The prompt hook and init take what they can from the discovery cache the shell carries;
    // `wslgo env` looks afresh, like doctor.
    let facts = if o.interactive {
        Facts::new(sys)
    } else {
        Facts::with_memo(sys, Memo::from_value(env.get(memo::VAR)))
    };
    let ctx = Ctx {
        sys,
        facts: &facts,
        env,
        cfg: &config,
        platform: &platform,
        state: &old,
        cwd: env.cwd(),
        shell: o.shell,
        login: o.login,
        first_prompt: o.first_prompt,
        init: o.init,
        interactive: o.interactive,
    };
    let mut plan = plan::plan(&ctx);
    if !issues.is_empty() {
        plan.warn(config_warning(&issues));
    }
    let quiet = env.get("WSLGO_QUIET").is_some_and(|v| v == "1");
    // `wslgo env` lists every warning that applies, shown before or not (ownership still
    // comes from the state: what wslgo set is reported as wslgo's).
    let outcome = if o.interactive {
        let mut fresh = old.clone();
        fresh.shown.clear();
        let mut out = diff::diff(&plan, env, &fresh, false, &config.warn.disable);
        out.state = old;
        out
    } else {
        diff::diff(&plan, env, &old, quiet, &config.warn.disable)
    };
    let disc_cache = facts.memo.new_value();
    let st = outcome.state.encode();
    let state_code = env.get(state::VAR).is_none_or(|v| v.as_bytes() != st.as_bytes()).then_some(st);
    Refresh {
        platform,
        plan,
        outcome,
        config,
        cfg_cache,
        disc_cache,
        state_code,
    }
}

/// `config-invalid` for a set of problems: one line, the problems in line order; its subject
/// is the whole set, so the same problems warn once and a different mistake warns again.
pub(crate) fn config_warning(issues: &[Issue]) -> Warning {
    const SHOWN: usize = 3;
    let mut what: Vec<String> = issues.iter().take(SHOWN).map(Issue::to_string).collect();
    if issues.len() > SHOWN {
        what.push(format!("and {} more", issues.len() - SHOWN));
    }
    let mut h = crate::hash::Fnv::new();
    for i in issues {
        h.write(i.to_string().as_bytes());
        h.write(&[0]);
    }
    Warning::new(
        "config-invalid",
        format!("{:016x}", h.finish()),
        what.join("; "),
        "fix these lines (`wslgo config check` lists every problem); every other key applies",
    )
}

/// The config: from the cache variable when the file's stamp is unchanged, else parsed (a
/// broken key then keeps the value the cache had for it: the last good one, unless the cache
/// was `lent` by the warm-start file: a running shell's last good values are its own).
fn load_config(env: &ShellEnv, fresh: bool, lent: bool) -> (Config, Vec<Issue>, Option<String>) {
    let path = config::path_from(env);
    let (stamp, settled) = stamp(&path);
    let cache = env.get(CFG_VAR).and_then(cached);
    if !fresh
        && let Some((st, _, c)) = &cache
        && *st == stamp
    {
        return (c.clone(), Vec::new(), None);
    }
    // The previous config counts only when it came from the same file: a broken key keeps
    // its value there (its last good one).
    let file = file_hash(&path);
    let prev = cache.as_ref().filter(|(_, f, _)| !lent && *f == file).map(|(_, _, c)| c);
    let loaded = config::load_from(&path, env, prev);
    let json = compact(&loaded.config);
    // Not settled, or with problems: kept with a stamp no file has (0), so it is never a hit
    // but still holds the last good values for the next parse. (A hit reports no problems: a
    // broken file's parse lent by the warm file would cost every later terminal its
    // `config-invalid`. A broken file is parsed at each refresh until it is fixed.)
    let keyed = if settled && loaded.issues.is_empty() { stamp } else { 0 };
    let mut value = format!("{CFG_TAG};{keyed:016x};{file:016x};{json}");
    if value.len() > CFG_MAX || value.contains('\n') {
        // Too big to carry in every program's environment: no cache (an empty value, which
        // is never a hit); every refresh reads the file instead.
        value.clear();
    }
    let changed = env.get(CFG_VAR).is_none_or(|v| v.as_bytes() != value.as_bytes());
    (loaded.config, loaded.issues, changed.then_some(value))
}

/// The longest [`CFG_VAR`] value exported. A config whose parsed form is longer (a huge
/// `proxy.no_proxy` list) costs wslgo its cache, never the size of the user's environment.
pub(crate) const CFG_MAX: usize = 8 * 1024;
const CFG_TAG: &str = "c3";

/// The cache variable's stamp, file and config; `None` when it is not one wslgo wrote.
fn cached(v: &OsStr) -> Option<(u64, u64, Config)> {
    let s = v.to_str()?;
    if s.len() > CFG_MAX {
        return None;
    }
    let mut it = s.splitn(4, ';');
    if it.next()? != CFG_TAG {
        return None;
    }
    let hex = |h: &str| (h.len() == 16).then(|| u64::from_str_radix(h, 16).ok()).flatten();
    let stamp = hex(it.next()?)?;
    let file = hex(it.next()?)?;
    // The keys that differ from the defaults, as an object (`#[serde(default)]` fills in the
    // rest; a JSON array would fill every field by position, so only an object is read).
    let json = it.next()?;
    if !json.starts_with('{') {
        return None;
    }
    Some((stamp, file, serde_json::from_str(json).ok()?))
}

/// The config as JSON without the keys that hold their defaults: the cache is exported to
/// every program the shell starts and printed in every init snippet, and most configs change a
/// few keys or none (`{}`: 2 bytes where the whole config took ~330).
fn compact(c: &Config) -> String {
    let (Ok(mut v), Ok(d)) = (serde_json::to_value(c), serde_json::to_value(Config::default())) else {
        return String::new();
    };
    strip_defaults(&mut v, &d);
    serde_json::to_string(&v).unwrap_or_default()
}

/// Removes from `v` every leaf equal to the same place in `d` (and sections left empty).
fn strip_defaults(v: &mut serde_json::Value, d: &serde_json::Value) {
    if let (serde_json::Value::Object(m), serde_json::Value::Object(dm)) = (v, d) {
        m.retain(|k, x| match dm.get(k) {
            Some(dx) if x == dx => false,
            Some(dx @ serde_json::Value::Object(_)) => {
                strip_defaults(x, dx);
                !x.as_object().is_some_and(serde_json::Map::is_empty)
            }
            _ => true,
        });
    }
}

/// Identifies the config file (not its version): whose last good values a parse may keep.
fn file_hash(path: &Result<std::path::PathBuf, String>) -> u64 {
    match path {
        Ok(p) => crate::hash::fnv(p.as_os_str().as_encoded_bytes()),
        Err(_) => 0,
    }
}

/// Identifies one version of the config file without reading it (a hash: the path may hold
/// any bytes, and the cache value holds no newline).
///
/// Also whether the stamp can be trusted later: a file changed within the last 2 s could be
/// rewritten at the same size within the same clock tick (coarse file times, WSL2's 6.6
/// kernel) and keep its stamp, so its parse is not cached yet (as the discovery cache and git's
/// "racily clean" rule do); the refresh after next caches it.
fn stamp(path: &Result<std::path::PathBuf, String>) -> (u64, bool) {
    use std::os::unix::fs::MetadataExt;
    let mut settled = true;
    let s = match path {
        Ok(p) => match std::fs::metadata(p) {
            Ok(m) => {
                let now = crate::probe::proxy::now_secs();
                settled = m.mtime() < i64::try_from(now).unwrap_or(i64::MAX) - 2;
                format!("{}:{}.{}:{}:{}", p.display(), m.mtime(), m.mtime_nsec(), m.size(), m.ino())
            }
            Err(_) => format!("{}:none", p.display()),
        },
        Err(why) => format!("no-path:{why}"),
    };
    (crate::hash::fnv(s.as_bytes()), settled)
}

/// The code a refresh prints: the changes, the new state, the snippet's interval.
///
/// fish's snippet keeps its stamps in one list, `_wslgo_last`, set in one statement (each
/// statement is a command fish pays for at every refresh): the directory of this refresh (the
/// shell's `$PWD`, which fish exports), the second of the next one on the shell's clock
/// (`now`: /proc/uptime's whole seconds as the snippet read them, passed as `--now`; init,
/// which has none, reads the same clock, CLOCK_BOOTTIME) and the interval.
pub fn code(r: &Refresh, shell: Shell, env: &ShellEnv, now: Option<u64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    render::changes(&mut out, shell, &r.outcome.changes);
    // The state, when it changed. An empty state is still written, so a foreign or corrupt
    // value is replaced.
    if let Some(st) = &r.state_code {
        render::export(&mut out, shell, state::VAR, OsStr::new(st));
    }
    match &r.cfg_cache {
        Some(c) if c.is_empty() => render::unset(&mut out, shell, CFG_VAR),
        Some(c) => render::export(&mut out, shell, CFG_VAR, OsStr::new(c)),
        None => {}
    }
    match &r.disc_cache {
        Some(c) if c.is_empty() => render::unset(&mut out, shell, memo::VAR),
        Some(c) => render::export(&mut out, shell, memo::VAR, OsStr::new(c)),
        None => {}
    }
    let iv = r.config.hook.interval_secs;
    if shell == Shell::Fish {
        let next = now.unwrap_or_else(uptime_secs).saturating_add(iv);
        out.extend_from_slice(b"set -g _wslgo_last ");
        render::fish_quote_into(&mut out, env.cwd().as_os_str().as_bytes());
        out.extend_from_slice(format!(" {next} {iv}").as_bytes());
        render::end(&mut out, shell);
    } else {
        render::snippet_var(&mut out, shell, "_wslgo_iv", iv.to_string().as_bytes());
    }
    out
}

/// The seconds since boot, as /proc/uptime counts them (CLOCK_BOOTTIME, read through the vDSO:
/// no syscall).
fn uptime_secs() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid pointer to a timespec; CLOCK_BOOTTIME exists on every kernel WSL runs.
    if unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) } != 0 {
        return 0;
    }
    u64::try_from(ts.tv_sec).unwrap_or(0)
}

/// The warnings, kept for the first prompt: `init` prints nothing while the rc file runs (a
/// zsh instant prompt would complain), so it stores them in `_wslgo_warn` (one line each) and
/// the snippet's hook prints them at the first prompt, with no process.
pub(crate) fn warnings_code(r: &Refresh, shell: Shell) -> Vec<u8> {
    let mut text = Vec::new();
    for w in &r.outcome.show {
        text.extend_from_slice(w.line().as_bytes());
        text.push(b'\n');
    }
    let mut out = Vec::new();
    if !text.is_empty() {
        render::snippet_var(&mut out, shell, "_wslgo_warn", &text);
    }
    out
}

/// Prints the warnings to show, one line each, on stderr.
pub(crate) fn print_warnings(r: &Refresh) {
    use std::io::Write;
    if r.outcome.show.is_empty() {
        return;
    }
    let mut s = String::new();
    for w in &r.outcome.show {
        s.push_str(&w.line());
        s.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}

/// `now`: the shell's clock (`--now`, given by fish's snippet).
pub(crate) fn run(shell: Shell, login: bool, first: bool, now: Option<u64>) -> i32 {
    let env = ShellEnv::from_process();
    if env.get("WSLGO_DISABLE").is_some_and(|v| v == "1") {
        return 0;
    }
    let sys = Sys::from_env();
    let r = refresh(
        &env,
        &sys,
        &Opts {
            shell: Some(shell),
            login,
            first_prompt: first,
            init: false,
            interactive: false,
            lent_cfg: false,
        },
    );
    print_warnings(&r);
    let mut out = code(&r, shell, &env, now);
    if first && shell == Shell::Fish {
        // The snippet asks for the startup checks until a refresh succeeded (bash and zsh
        // drop the flag themselves; in fish that would be a command at every refresh).
        out.extend_from_slice(b"set -eg _wslgo_first;\n");
    }
    if now.is_none() && shell == Shell::Fish {
        // A fish started before an upgrade runs the older snippet, which passes no `--now`
        // and counts the interval from `_wslgo_next`: without it, it would refresh at every
        // prompt until the terminal is closed.
        let next = uptime_secs().saturating_add(r.config.hook.interval_secs);
        out.extend_from_slice(format!("set -g _wslgo_next {next};\n").as_bytes());
    }
    super::emit(&out);
    // The process ends here: freeing what it built is work with no use (~1% of a refresh).
    std::mem::forget((r, env));
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(c: &Config) -> (String, Config) {
        let json = compact(c);
        let value = format!("{CFG_TAG};{:016x};{:016x};{json}", 1, 2);
        let (_, _, back) = cached(OsStr::new(&value)).expect("a value wslgo wrote is read back");
        (json, back)
    }

    #[test]
    fn the_config_cache_holds_only_what_differs_from_the_defaults() {
        let (json, back) = round_trip(&Config::default());
        assert_eq!(json, "{}");
        assert_eq!(back, Config::default());

        let text = "[proxy]\nmode = \"off\"\nno_proxy = [\"corp.example\", \"10.0.0.0/8\"]\n[hook]\ninterval_secs = 3600\n[warn]\ndisable = [\"drvfs-cwd\"]\n[go]\npath = \"/g\"\n";
        let env = ShellEnv::from_pairs([("HOME", "/home/u")]);
        let loaded = crate::config::parse(std::path::Path::new("c.toml"), text.as_bytes(), &env, None);
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        let (json, back) = round_trip(&loaded.config);
        assert_eq!(back, loaded.config, "every key survives the round trip");
        for k in ["\"mode\":\"off\"", "corp.example", "3600", "drvfs-cwd", "\"path\":\"/g\""] {
            assert!(json.contains(k), "{k} in {json}");
        }
        for k in ["locale", "scheme", "recheck_secs", "maxprocs"] {
            assert!(!json.contains(k), "{k} holds its default and is left out: {json}");
        }
    }

    #[test]
    fn a_cache_of_another_version_or_shape_is_no_cache() {
        for v in [
            "c2;0000000000000001;0000000000000002;{}",
            "c3;1;2;{}",
            "c3;0000000000000001;0000000000000002;{\"hook\":{\"interval_secs\":\"x\"}}",
            "c3;0000000000000001;0000000000000002;[]",
        ] {
            assert!(cached(OsStr::new(v)).is_none(), "{v}");
        }
    }
}
