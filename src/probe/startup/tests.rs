use super::expand::*;
use super::files::*;
use super::profile::*;
use crate::sysroot::read_script;
use std::path::Path;

/// A made-up world: HOME=/h, and these directories exist.
struct W(Vec<&'static str>);
impl World for W {
    fn lookup(&self, name: &str) -> Lookup {
        match name {
            "HOME" => Lookup::Known("/h".into()),
            "LANG" => Lookup::Known("C.UTF-8".into()),
            _ => Lookup::Unset,
        }
    }
    fn is_dir(&self, p: &Path) -> bool {
        self.0.iter().any(|d| Path::new(d) == p)
    }
    fn is_file(&self, _: &Path) -> bool {
        false
    }
}

fn dirs(s: &Settings) -> Vec<&str> {
    s.path.iter().map(|p| p.dir.as_str()).collect()
}

fn vars(s: &Settings) -> Vec<(&str, &str)> {
    s.vars.iter().map(|v| (v.name.as_str(), v.value.as_str())).collect()
}

/// Ubuntu's /etc/skel/.profile (shared with the real-shell tests).
const UBUNTU: &str = include_str!("../../../tests/fixtures/ubuntu.profile");

#[test]
fn ubuntu_guards_follow_the_directories() {
    assert!(dirs(&profile_settings(UBUNTU, &W(vec![]))).is_empty());
    assert_eq!(dirs(&profile_settings(UBUNTU, &W(vec!["/h/bin"]))), ["/h/bin"]);
    let both = profile_settings(UBUNTU, &W(vec!["/h/bin", "/h/.local/bin"]));
    assert_eq!(dirs(&both), ["/h/bin", "/h/.local/bin"]);
    assert_eq!(both.path[1].written, "$HOME/.local/bin");
}

#[test]
fn exports_in_their_forms() {
    let t = "export GOPATH=~/work\nEDITOR=vim; export EDITOR\nexport A=1 B=\"$A-x\"\nexport PATH=$PATH:$GOPATH/bin\n\
             declare -x D=${XDG_X:-$HOME/d}\nLOCAL=1\nexport LANG2=$LANG\nexport UNKNOWN=$NOPE\nexport S='$HOME'\n";
    let s = profile_settings(t, &W(vec![]));
    assert_eq!(
        vars(&s),
        [
            ("GOPATH", "/h/work"),
            ("EDITOR", "vim"),
            ("A", "1"),
            ("B", "1-x"),
            ("D", "/h/d"),
            ("LANG2", "C.UTF-8")
        ]
    );
    assert_eq!(dirs(&s), ["/h/work/bin"]);
}

#[test]
fn one_line_guards_and_else() {
    let t = "[ -d \"$HOME/a\" ] && PATH=\"$HOME/a:$PATH\"\n[ -d /nope ] && PATH=/nope:$PATH\n\
             [ -d /nope ] || export X=1\ncommand -v go >/dev/null && export Y=1\n\
             if [ -d /nope ]; then export Z=1; else export E=1; fi\n\
             if [ -d /h/a ] && [ -d /nope ]; then export Q=1; fi\n";
    let s = profile_settings(t, &W(vec!["/h/a"]));
    assert_eq!(dirs(&s), ["/h/a"]);
    assert_eq!(vars(&s), [("X", "1"), ("E", "1")]);
}

#[test]
fn what_it_cannot_understand_is_left_out() {
    let t = "f() {\n  export F=1\n  PATH=/f:$PATH\n}\nfunction g { export G=1; }\n\
             cat <<'EOF'\nexport H=1\nEOF\nfor d in a b; do PATH=/l/$d:$PATH; done\n\
             case $X in a) export C=1 ;; esac\nexport P=\"$(go env GOPATH)/bin\"\nexport T=`id -u`\n\
             export OK=1\n( export SUB=1 )\necho \"unbalanced\nexport U=1\n";
    let s = profile_settings(t, &W(vec![]));
    assert_eq!(vars(&s), [("OK", "1")]);
    assert!(s.path.is_empty(), "{:?}", s.path);
    // A quote closed on a later line is one string, not commands.
    let t = "echo \"a\nexport IN=1\n\"\nexport AFTER=1\n";
    assert_eq!(vars(&profile_settings(t, &W(vec![]))), [("AFTER", "1")]);
}

#[test]
fn sourced_words() {
    let t = ". ~/.profile\nsource \"$HOME/.profile\" # c\n[ -f ~/.p1 ] && . ~/.p1\nif true; then source ~/.p2; fi\n\
             emulate sh -c '. ~/.p3'\nemulate -R sh -c 'source $HOME/.p4'\n# . ~/.not\necho . ~/.not2\n";
    assert_eq!(
        sourced(t, 0),
        ["~/.profile", "$HOME/.profile", "~/.p1", "~/.p2", "~/.p3", "$HOME/.p4"]
    );
}

#[test]
fn expansion() {
    let l = |n: &str| match n {
        "HOME" => Lookup::Known("/h".into()),
        "E" => Lookup::Known(String::new()),
        "U" => Lookup::Unknown,
        _ => Lookup::Unset,
    };
    assert_eq!(expand("~/x", &l).as_deref(), Some("/h/x"));
    assert_eq!(expand("${ZDOTDIR:-$HOME}/.zshrc", &l).as_deref(), Some("/h/.zshrc"));
    assert_eq!(expand("${E:-d}", &l).as_deref(), Some("d"));
    assert_eq!(expand("${E-d}", &l).as_deref(), Some(""));
    assert_eq!(expand("${U:-d}", &l), None);
    assert_eq!(expand("$NOPE/x", &l), None);
    assert_eq!(expand("~root/x", &l), None);
    assert_eq!(expand("$(pwd)", &l), None);
    assert_eq!(expand("${#HOME}", &l), None);
}

#[test]
fn read_script_refuses_what_is_not_a_text_file() {
    let d = std::env::temp_dir().join(format!("wslgo-startup-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("bin"), b"export A=1\n\0\x01").unwrap();
    assert!(read_script(&d.join("bin"), 100).is_none());
    std::fs::write(d.join("long"), b"export A=1\nexport B=22222\n").unwrap();
    assert_eq!(read_script(&d.join("long"), 20).unwrap(), "export A=1\n");
    assert!(read_script(&d, 100).is_none());
    assert!(read_script(Path::new("/dev/zero"), 100).is_none());
    std::fs::remove_dir_all(&d).unwrap();
}
