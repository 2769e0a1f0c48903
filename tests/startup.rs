//! `profile-skipped` (SPEC 5.6) in real interactive bash and zsh, login and not, with HOME and
//! ZDOTDIR in temporary trees.
//!
//! The shells read this machine's real /etc files (bash login runs /etc/profile); the binary
//! reads a sysroot with minimal /etc files of the same effect (none of them sources
//! ~/.profile), so what it concludes does not depend on the machine. Each "silent" case has a
//! twin that differs in one file and warns, so a check that never fires cannot pass.

mod common;
use common::*;
use std::path::Path;

const ID: &str = "profile-skipped";

/// A sandbox whose binary sees a minimal system (an available C.UTF-8 locale, empty /etc
/// startup files). The sysroot lives as long as the returned guard.
fn sandbox(tag: &str) -> (Sandbox, TempDir) {
    let root = TempDir::new("startup-root");
    put(
        root.path(),
        "/etc/profile",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nexport PATH\n",
    );
    put(
        root.path(),
        "/etc/bash.bashrc",
        "[ -z \"$PS1\" ] && return\nshopt -s checkwinsize\n",
    );
    put(root.path(), "/etc/zsh/zshenv", "");
    put(root.path(), "/etc/zsh/zshrc", "");
    std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
    let mut sb = Sandbox::new(tag);
    sb.set("WSLGO_SYSROOT", root.path());
    (sb, root)
}

/// Makes the sysroot a WSL2 distro (its real kernel release and the interop entry).
fn make_wsl2(root: &TempDir) {
    let fx = fixtures().join("wsl");
    let osrelease = std::fs::read(fx.join("proc/osrelease/osrelease.wsl2-5.15.153.1.txt")).unwrap();
    put(root.path(), "/proc/sys/kernel/osrelease", osrelease);
    let interop = std::fs::read(fx.join("proc/binfmt_misc/WSLInterop.wsl2-flags-PF.txt")).unwrap();
    put(root.path(), "/proc/sys/fs/binfmt_misc/WSLInterop", interop);
}

/// The rc line that starts wslgo, for files the test writes itself.
fn init_line(sb: &Sandbox, shell: &str) -> String {
    use std::os::unix::ffi::OsStrExt;
    let q = String::from_utf8(wslgo::render::quote(sb.bin.as_os_str().as_bytes())).unwrap();
    format!("eval \"$({q} init {shell})\"\n")
}

fn write(p: impl AsRef<Path>, text: impl AsRef<[u8]>) {
    let p = p.as_ref();
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Several prompts, two directory changes (each a refresh): a warning must still show once.
const SCRIPT: &str = "echo \"P=$PATH\"\ncd /\ncd ~\necho first=1\ncd /tmp\necho \"E=$EDITOR_T\"\n";

/// bash login reading `~/.bash_profile` (holding `body` and the init line); returns the output.
fn bash_login(sb: &mut Sandbox, body: &str) -> Option<Output> {
    sb.init = false;
    let init = init_line(sb, "bash");
    write(sb.home.join(".bash_profile"), format!("PS1=''\nPS2=''\n{body}{init}"));
    sb.run_opts("bash", true, SCRIPT)
}

const GO_PROFILE: &str = "PATH=\"$HOME/go/bin:$PATH\"\nexport EDITOR_T=vim\n";

fn the_warning(o: &Output) -> String {
    o.warnings()
        .into_iter()
        .find(|l| l.starts_with("wslgo: profile-skipped: "))
        .unwrap_or_default()
}

fn go_bin(sb: &Sandbox) -> String {
    sb.home.join("go/bin").display().to_string()
}

#[test]
fn bash_login_with_only_profile_is_silent() {
    let (mut sb, _root) = sandbox("pl-only");
    sb.init = false;
    let init = init_line(&sb, "bash");
    write(sb.home.join(".profile"), format!("{GO_PROFILE}PS1=''\nPS2=''\n{init}"));
    let Some(o) = sb.run_opts("bash", true, SCRIPT) else { return };
    let path = o.value("P").unwrap_or_else(|| panic!("no output: {}", o.stderr));
    assert!(path.split(':').any(|e| e == go_bin(&sb)), "~/.profile ran: {path}");
    assert_eq!(o.count_warning(ID), 0, "{}", o.stderr);
}

#[test]
fn bash_profile_that_skips_profile_warns_once_with_the_fix() {
    let (mut sb, _root) = sandbox("pl-skip");
    write(sb.home.join(".profile"), GO_PROFILE);
    let Some(o) = bash_login(&mut sb, "") else { return };
    assert!(o.value("first").is_some(), "script ran: {}", o.stderr);
    assert_eq!(o.count_warning(ID), 1, "{}", o.stderr);
    let w = the_warning(&o);
    assert!(w.contains("$HOME/go/bin"), "{w}");
    assert!(w.contains("EDITOR_T=vim"), "{w}");
    assert!(
        w.ends_with("-- add the line to ~/.bash_profile: echo '. ~/.profile' >> ~/.bash_profile"),
        "{w}"
    );
    // The environment really lacks what ~/.profile sets (wslgo adds $GOPATH/bin = ~/go/bin on
    // its own since issue 3, so the variable is the witness).
    assert_eq!(o.value("E").as_deref(), Some(""), "{}", o.stderr);
}

#[test]
fn bash_profile_that_sources_profile_is_silent() {
    for line in [
        ". \"$HOME/.profile\"\n",
        "source ~/.profile\n",
        "if [ -f ~/.profile ]; then . ~/.profile; fi\n",
    ] {
        let (mut sb, _root) = sandbox("pl-src");
        write(sb.home.join(".profile"), GO_PROFILE);
        let Some(o) = bash_login(&mut sb, line) else { return };
        let path = o.value("P").unwrap_or_else(|| panic!("no output: {}", o.stderr));
        assert!(path.split(':').any(|e| e == go_bin(&sb)), "{line}: ~/.profile ran: {path}");
        assert_eq!(o.count_warning(ID), 0, "{line}: {}", o.stderr);
    }
}

#[test]
fn warn_disable_and_quiet_silence_it() {
    for how in ["config", "quiet"] {
        let (mut sb, _root) = sandbox("pl-disable");
        write(sb.home.join(".profile"), GO_PROFILE);
        if how == "config" {
            sb.config("[warn]\ndisable = [\"profile-skipped\"]\n");
        } else {
            sb.set("WSLGO_QUIET", "1");
        }
        let Some(o) = bash_login(&mut sb, "") else { return };
        assert!(o.value("first").is_some(), "script ran: {}", o.stderr);
        assert_eq!(o.count_warning(ID), 0, "{how}: {}", o.stderr);
    }
}

/// A non-login bash under a broken login setup (~/.bash_profile skips ~/.profile): fine when
/// it inherited the additions anyway, warned when it did not.
#[test]
fn bash_non_login_depends_on_the_inherited_environment() {
    for inherited in [true, false] {
        let (mut sb, _root) = sandbox("pl-nonlogin");
        write(sb.home.join(".profile"), GO_PROFILE);
        write(sb.home.join(".bash_profile"), "# no ~/.profile here\n");
        if inherited {
            let path = format!("{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", go_bin(&sb));
            sb.set("PATH", path).set("EDITOR_T", "vim");
        }
        let Some(o) = sb.run("bash", SCRIPT) else { return };
        assert!(o.value("first").is_some(), "script ran: {}", o.stderr);
        assert_eq!(o.count_warning(ID), usize::from(!inherited), "inherited={inherited}: {}", o.stderr);
        if !inherited {
            let w = the_warning(&o);
            assert!(w.contains("this non-login bash"), "{w}");
            assert!(w.contains("add the line to ~/.bashrc: echo '. ~/.profile' >> ~/.bashrc"), "{w}");
            assert!(
                w.contains("bash login shells skip it too: add the line to ~/.bash_profile: echo '. ~/.profile' >> ~/.bash_profile"),
                "{w}"
            );
        }
    }
}

/// A terminal that skips login files (VS Code's terminal, a new tab, `wsl.exe -e bash`): a
/// non-login bash whose environment lacks what ~/.profile sets warns, even though its login
/// setup is right (no ~/.bash_profile), and the fix names both ways out: a login shell in the
/// terminal (the VS Code setting, the Windows Terminal profile line) or the rc file's line.
/// Its twin that inherited the entries from a login shell is silent.
#[test]
fn bash_non_login_lacking_the_login_environment_names_both_ways_out() {
    for inherited in [false, true] {
        let (mut sb, root) = sandbox("pl-nonlogin-term");
        make_wsl2(&root);
        sb.set("WSL_DISTRO_NAME", "Ubuntu-24.04");
        write(sb.home.join(".profile"), GO_PROFILE);
        if inherited {
            let path = format!("{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", go_bin(&sb));
            sb.set("PATH", path).set("EDITOR_T", "vim");
        }
        let Some(o) = sb.run("bash", SCRIPT) else { return };
        assert!(o.value("first").is_some(), "script ran: {}", o.stderr);
        assert_eq!(o.count_warning(ID), usize::from(!inherited), "inherited={inherited}: {}", o.stderr);
        if inherited {
            continue;
        }
        let w = the_warning(&o);
        assert!(w.contains("missing $HOME/go/bin on PATH, EDITOR_T=vim"), "{w}");
        assert!(
            w.contains("\"terminal.integrated.profiles.linux\": {\"bash\": {\"path\": \"bash\", \"args\": [\"-l\"]}}"),
            "{w}"
        );
        assert!(w.contains("\"commandline\": \"wsl.exe -d Ubuntu-24.04 -- bash -l\""), "{w}");
        assert!(w.ends_with("or add the line to ~/.bashrc: echo '. ~/.profile' >> ~/.bashrc"), "{w}");
    }
}

/// The same on plain Linux (SPEC 5.5: a real kernel release, no WSL marker): the fix names the
/// generic login-shell setting and VS Code's, never a Windows command.
#[test]
fn bash_non_login_on_plain_linux_names_no_windows_command() {
    let (sb, root) = sandbox("pl-nonlogin-linux");
    put(root.path(), "/proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
    write(sb.home.join(".profile"), GO_PROFILE);
    let Some(o) = sb.run("bash", SCRIPT) else { return };
    assert_eq!(o.count_warning(ID), 1, "{}", o.stderr);
    let w = the_warning(&o);
    for windows in ["wsl.exe", "Windows", "<distro>"] {
        assert!(!w.contains(windows), "{windows} named on plain Linux: {w}");
    }
    assert!(w.contains("start the terminal as a login shell"), "{w}");
    assert!(
        w.contains("\"terminal.integrated.profiles.linux\": {\"bash\": {\"path\": \"bash\", \"args\": [\"-l\"]}}"),
        "{w}"
    );
    assert!(w.ends_with("or add the line to ~/.bashrc: echo '. ~/.profile' >> ~/.bashrc"), "{w}");
}

/// zsh in a terminal that skips login files: the rc line goes into $ZDOTDIR/.zshrc.
#[test]
fn zsh_non_login_names_the_zshrc_line() {
    let (mut sb, root) = sandbox("pl-zsh-term");
    make_wsl2(&root);
    write(sb.home.join(".profile"), GO_PROFILE);
    write(sb.home.join(".zprofile"), "emulate sh -c '. ~/.profile'\n");
    sb.set("ZDOTDIR", sb.home.clone());
    sb.init = false;
    let init = init_line(&sb, "zsh");
    write(
        sb.home.join(".zshrc"),
        format!("PS1=''\nPROMPT=''\nRPROMPT=''\nunsetopt prompt_sp prompt_cr\n{init}"),
    );
    let Some(o) = sb.run_opts("zsh", false, SCRIPT) else { return };
    assert_eq!(o.count_warning(ID), 1, "{}", o.stderr);
    let w = the_warning(&o);
    assert!(w.contains("\"wsl.exe -d <distro> -- zsh -l\""), "{w}");
    assert!(
        w.ends_with("or add the line to ~/.zshrc: echo \"emulate sh -c '. ~/.profile'\" >> ~/.zshrc"),
        "{w}"
    );
    assert!(!w.contains("skip it too"), "the login setup is right: {w}");
}

/// Ubuntu's layout plus a ~/.bash_profile that only sources ~/.bashrc (what many guides and
/// installers write): bash login skips ~/.profile. Adding `. ~/.profile` would run ~/.bashrc
/// twice (~/.profile runs it too), so the fix replaces that line; done in a real login bash,
/// ~/.bashrc runs exactly once, ~/bin is on PATH and the warning is gone.
#[test]
fn bash_fix_never_runs_bashrc_twice() {
    let (mut sb, _root) = sandbox("pl-twice");
    sb.init = false;
    std::fs::create_dir_all(sb.home.join("bin")).unwrap();
    write(sb.home.join(".profile"), UBUNTU_PROFILE);
    let runs = sb.dir.path().join("bashrc.runs");
    write(
        sb.home.join(".bashrc"),
        format!("echo run >> '{}'\nPS1=''\nPS2=''\n{}", runs.display(), init_line(&sb, "bash")),
    );
    let line = "if [ -f ~/.bashrc ]; then . ~/.bashrc; fi";
    write(sb.home.join(".bash_profile"), format!("# get the aliases\n{line}\n"));
    let Some(o) = sb.run_opts("bash", true, SCRIPT) else { return };
    assert_eq!(o.count_warning(ID), 1, "{}", o.stderr);
    let w = the_warning(&o);
    let want = format!("in ~/.bash_profile, replace the line `{line}` by `. ~/.profile`");
    assert!(w.contains(&want), "{w}");
    assert_eq!(std::fs::read_to_string(&runs).unwrap().lines().count(), 1);
    // Follow the fix.
    write(sb.home.join(".bash_profile"), "# get the aliases\n. ~/.profile\n");
    std::fs::write(&runs, "").unwrap();
    let Some(o) = sb.run_opts("bash", true, SCRIPT) else { return };
    assert_eq!(o.count_warning(ID), 0, "{}", o.stderr);
    let path = o.value("P").unwrap();
    assert!(path.split(':').any(|e| Path::new(e) == sb.home.join("bin")), "{path}");
    assert_eq!(std::fs::read_to_string(&runs).unwrap().lines().count(), 1, "~/.bashrc ran twice");
}

/// A non-login bash with Ubuntu's ~/.profile (which runs ~/.bashrc): a plain `. ~/.profile` in
/// ~/.bashrc would loop, so the rc line is the guarded one, at the top; done in a real bash,
/// ~/.bashrc runs once, ~/bin is on PATH and the warning is gone.
#[test]
fn bash_rc_line_for_ubuntu_never_loops() {
    let (mut sb, _root) = sandbox("pl-loop");
    sb.init = false;
    std::fs::create_dir_all(sb.home.join("bin")).unwrap();
    write(sb.home.join(".profile"), UBUNTU_PROFILE);
    let runs = sb.dir.path().join("bashrc.runs");
    let body = format!("echo run >> '{}'\nPS1=''\nPS2=''\n{}", runs.display(), init_line(&sb, "bash"));
    write(sb.home.join(".bashrc"), &body);
    // The harness's rc file stands for bash's own reading of ~/.bashrc.
    sb.rc_before = ". ~/.bashrc\n".into();
    let Some(o) = sb.run("bash", SCRIPT) else { return };
    assert_eq!(o.count_warning(ID), 1, "{}", o.stderr);
    let w = the_warning(&o);
    let fix = "[ -n \"${PROFILE_READ-}\" ] || { export PROFILE_READ=1; shopt -q login_shell || { . ~/.profile; return; }; }";
    assert!(w.ends_with(&format!("or put this line at the top of ~/.bashrc: {fix}")), "{w}");
    write(sb.home.join(".bashrc"), format!("{fix}\n{body}"));
    std::fs::write(&runs, "").unwrap();
    let Some(o) = sb.run("bash", SCRIPT) else { return };
    assert_eq!(o.count_warning(ID), 0, "{}", o.stderr);
    let path = o.value("P").unwrap();
    assert!(path.split(':').any(|e| Path::new(e) == sb.home.join("bin")), "{path}");
    assert_eq!(std::fs::read_to_string(&runs).unwrap().lines().count(), 1, "~/.bashrc ran twice");
}

/// The guarded rc line, taken from the warning and followed in real bash with Ubuntu's
/// ~/.profile: a nested `bash -i` (and one under a login shell) does not read ~/.profile again,
/// so no PATH entry of ~/.profile's appears twice; a login shell itself reads it once.
#[test]
fn bash_rc_line_nested_shells_keep_path_entries_single() {
    let (mut sb, _root) = sandbox("pl-nest");
    sb.init = false;
    std::fs::create_dir_all(sb.home.join("bin")).unwrap();
    write(sb.home.join(".profile"), UBUNTU_PROFILE);
    let body = format!("PS1=''\nPS2=''\n{}", init_line(&sb, "bash"));
    write(sb.home.join(".bashrc"), &body);
    sb.rc_before = ". ~/.bashrc\n".into();
    let Some(o) = sb.run("bash", SCRIPT) else { return };
    let w = the_warning(&o);
    let (_, fix) = w
        .rsplit_once("put this line at the top of ~/.bashrc: ")
        .unwrap_or_else(|| panic!("{w}"));
    write(sb.home.join(".bashrc"), format!("{fix}\n{body}"));
    let bin = sb.home.join("bin");
    let times = |path: &str| path.split(':').filter(|e| Path::new(e) == bin).count();
    let nested = "echo \"P=$PATH\"\nbash -ic 'echo \"Q=$PATH\"; bash -ic \"echo R=\\$PATH\" </dev/null' </dev/null\n";
    for login in [false, true] {
        let Some(o) = sb.run_opts("bash", login, nested) else { return };
        for key in ["P", "Q", "R"] {
            let path = o.value(key).unwrap_or_else(|| panic!("login={login} no {key}: {}", o.stderr));
            assert_eq!(times(&path), 1, "login={login} {key}: ~/bin not once: {path}\n{}", o.stderr);
        }
        assert_eq!(o.count_warning(ID), 0, "login={login}: {}", o.stderr);
    }
}

/// zsh with ZDOTDIR moved to ~/.config/zsh: warns (login or not) unless $ZDOTDIR/.zprofile
/// sources ~/.profile; a ~/.zprofile in HOME does not count, as zsh does not read it.
#[test]
fn zsh_warns_unless_zprofile_sources_profile() {
    for login in [true, false] {
        for zprofile in ["none", "zdotdir", "home"] {
            let (mut sb, _root) = sandbox("pl-zsh");
            sb.init = false;
            let zd = sb.home.join(".config/zsh");
            sb.set("ZDOTDIR", &zd);
            write(sb.home.join(".profile"), GO_PROFILE);
            let init = init_line(&sb, "zsh");
            write(
                zd.join(".zshrc"),
                format!("PS1=''\nPROMPT=''\nRPROMPT=''\nunsetopt prompt_sp prompt_cr\n{init}"),
            );
            match zprofile {
                "zdotdir" => write(zd.join(".zprofile"), "emulate sh -c '. ~/.profile'\n"),
                "home" => write(sb.home.join(".zprofile"), "emulate sh -c '. ~/.profile'\n"),
                _ => {}
            }
            let Some(o) = sb.run_opts("zsh", login, SCRIPT) else { return };
            let case = format!("login={login} zprofile={zprofile}");
            assert!(o.value("first").is_some(), "{case}: script ran: {}", o.stderr);
            // A non-login zsh reads no .zprofile: its environment here lacks the entries
            // (nothing inherited), so it warns whatever the login files do.
            let want = usize::from(zprofile != "zdotdir" || !login);
            assert_eq!(o.count_warning(ID), want, "{case}: {}", o.stderr);
            if want == 1 {
                let w = the_warning(&o);
                assert!(w.contains("$HOME/go/bin"), "{case}: {w}");
                let login_fix = "add the line to ~/.config/zsh/.zprofile: echo \"emulate sh -c '. ~/.profile'\" >> ~/.config/zsh/.zprofile";
                if login {
                    assert!(w.ends_with(&format!("-- {login_fix}")), "{case}: {w}");
                } else {
                    assert!(
                        w.contains("add the line to ~/.config/zsh/.zshrc: echo \"emulate sh -c '. ~/.profile'\" >> ~/.config/zsh/.zshrc"),
                        "{case}: {w}"
                    );
                    assert_eq!(w.contains(login_fix), zprofile != "zdotdir", "{case}: {w}");
                }
            } else if login {
                let path = o.value("P").unwrap();
                assert!(path.split(':').any(|e| e == go_bin(&sb)), "{case}: ~/.profile ran: {path}");
            }
        }
    }
}

/// Ubuntu's /etc/skel/.profile: its PATH lines hold only when ~/bin and ~/.local/bin exist.
const UBUNTU_PROFILE: &str = include_str!("fixtures/ubuntu.profile");

#[test]
fn ubuntu_default_profile_with_and_without_its_directories() {
    for shell in SHELLS {
        for dirs in [false, true] {
            let (mut sb, _root) = sandbox("pl-ubuntu");
            write(sb.home.join(".profile"), UBUNTU_PROFILE);
            if dirs {
                std::fs::create_dir_all(sb.home.join("bin")).unwrap();
                std::fs::create_dir_all(sb.home.join(".local/bin")).unwrap();
            }
            let o = if *shell == "bash" {
                bash_login(&mut sb, "")
            } else {
                sb.run_opts("zsh", true, SCRIPT)
            };
            let Some(o) = o else { return };
            let case = format!("{shell} dirs={dirs}");
            assert!(o.value("first").is_some(), "{case}: script ran: {}", o.stderr);
            assert_eq!(o.count_warning(ID), usize::from(dirs), "{case}: {}", o.stderr);
            if dirs {
                let w = the_warning(&o);
                assert!(
                    w.contains("$HOME/bin on PATH") && w.contains("$HOME/.local/bin on PATH"),
                    "{case}: {w}"
                );
            }
        }
    }
}

/// Ubuntu's layout as installed: ~/.profile read by bash login, sourcing ~/.bashrc with the
/// init line; the guarded directories exist and end up on PATH; nothing to warn about.
#[test]
fn ubuntu_default_profile_read_by_bash_login_is_silent() {
    let (mut sb, _root) = sandbox("pl-ubuntu-ok");
    sb.init = false;
    std::fs::create_dir_all(sb.home.join("bin")).unwrap();
    write(sb.home.join(".profile"), UBUNTU_PROFILE);
    write(sb.home.join(".bashrc"), format!("PS1=''\nPS2=''\n{}", init_line(&sb, "bash")));
    let Some(o) = sb.run_opts("bash", true, SCRIPT) else { return };
    let path = o.value("P").unwrap_or_else(|| panic!("no output: {}", o.stderr));
    assert!(path.split(':').any(|e| Path::new(e) == sb.home.join("bin")), "{path}");
    assert_eq!(o.count_warning(ID), 0, "{}", o.stderr);
}

/// Hostile ~/.profile files under a ~/.bash_profile that skips them: the shell finishes, and
/// only what the file certainly sets is named.
#[test]
fn hostile_profiles_never_hang_crash_or_invent_entries() {
    let understood = "export OK_T=1\n";
    let tricky = "f() {\n  export IN_FUNC=1\n  PATH=\"$HOME/func/bin:$PATH\"\n}\n\
                  function g { export IN_G=1; }\n\
                  cat <<'EOF' >/dev/null\nexport IN_HEREDOC=1\nEOF\n\
                  for d in a b; do PATH=\"$HOME/$d:$PATH\"; done\n\
                  case \"$TERM\" in xterm) export IN_CASE=1 ;; esac\n\
                  export SUBST=\"$(go env GOPATH)/bin\"\nPATH=\"$(go env GOPATH)/bin:$PATH\"\n\
                  export UNSET_REF=\"$NOT_SET_ANYWHERE/x\"\n\
                  echo \"it's open\nexport IN_STRING=1\n";
    let mut big = String::from(understood);
    while big.len() < 3 << 20 {
        big.push_str(": padding line to make this file a few megabytes long\n");
    }
    big.push_str("export BEYOND_BOUND=1\n");
    let mut binary = b"export BIN_T=1\n".to_vec();
    binary.extend((0..4096u32).map(|i| (i * 7919 % 256) as u8));
    type Make = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, Make, usize)> = vec![
        ("tricky", Box::new(move |p| write(p, format!("{understood}{tricky}"))), 1),
        ("huge", Box::new(move |p| write(p, &big)), 1),
        ("binary", Box::new(move |p| write(p, &binary)), 0),
        (
            "fifo",
            Box::new(|p| {
                let s = std::process::Command::new("mkfifo").arg(p).status().unwrap();
                assert!(s.success());
            }),
            0,
        ),
        ("dev-zero", Box::new(|p| std::os::unix::fs::symlink("/dev/zero", p).unwrap()), 0),
        ("directory", Box::new(|p| std::fs::create_dir_all(p.join("export X=1")).unwrap()), 0),
        ("empty", Box::new(|p| write(p, "")), 0),
    ];
    for (name, make, want) in cases {
        let (mut sb, _root) = sandbox("pl-hostile");
        make(&sb.home.join(".profile"));
        let start = std::time::Instant::now();
        let Some(o) = bash_login(&mut sb, "") else { return };
        assert!(o.value("first").is_some(), "{name}: script ran: {}", o.stderr);
        assert!(start.elapsed().as_secs() < 20, "{name}: took {:?}", start.elapsed());
        assert_eq!(o.count_warning(ID), want, "{name}: {}", o.stderr);
        if want == 1 {
            let w = the_warning(&o);
            assert!(w.contains("missing OK_T=1 -- "), "{name}: names exactly what it understood: {w}");
        }
    }
}

/// `wslgo env --json` (no shell argument: `$SHELL` says which) lists the warning too.
#[test]
fn env_json_lists_it() {
    let (mut sb, _root) = sandbox("pl-env");
    write(sb.home.join(".profile"), GO_PROFILE);
    write(sb.home.join(".bash_profile"), "# no ~/.profile here\n");
    sb.set("SHELL", "/bin/bash");
    let v = env_json(&sb);
    let ws = v["warnings"].as_array().unwrap();
    let w: Vec<_> = ws.iter().filter(|w| w["id"] == ID).collect();
    assert_eq!(w.len(), 1, "{v}");
    assert!(w[0]["message"].as_str().unwrap().contains("$HOME/go/bin"), "{v}");
    // With the line in place, nothing.
    write(sb.home.join(".bash_profile"), ". ~/.profile\n");
    let v = env_json(&sb);
    assert!(!v["warnings"].as_array().unwrap().iter().any(|w| w["id"] == ID), "{v}");
}

/// A quoted `<<` is no heredoc (issue 11 item 6): `echo "usage: a <<b"` before the exports
/// once hid every later line, so the warning disappeared. Real bash reads the file and sets
/// the variable; the warning (bash login and zsh) names what the lines after it set.
#[test]
fn quoted_heredoc_lookalike_hides_nothing() {
    let profile = "echo \"usage: a <<b\" >/dev/null\nx='<<EOF'; y=\\<<Z\n: $((1<<2))\nexport EDITOR_T=vim\nPATH=\"$HOME/go/bin:$PATH\"\n";
    let (mut sb, _root) = sandbox("pl-heredoc");
    write(sb.home.join(".profile"), profile);
    // bash itself: the export after the lookalike runs.
    let o = std::process::Command::new("bash")
        .env("HOME", &sb.home)
        .arg("-c")
        .arg(". ~/.profile; echo \"E=$EDITOR_T\"")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "E=vim");
    if let Some(o) = bash_login(&mut sb, "") {
        let w = the_warning(&o);
        assert!(w.contains("EDITOR_T=vim") && w.contains("$HOME/go/bin"), "bash: {}", o.stderr);
    }
    sb.init = true;
    if let Some(o) = sb.run_opts("zsh", true, SCRIPT) {
        let w = the_warning(&o);
        assert!(w.contains("EDITOR_T=vim"), "zsh: {}", o.stderr);
    }
}
