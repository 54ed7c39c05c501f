#!/usr/bin/env python3
"""CLI conventions (issue 14 items 2 and 3).

  cli_conventions.py REPRINT BUILD_DIR paths|options|doc|install|completion|progress|malloc

paths       outputs refused (exit 2, the input byte-identical, nothing
            written): an output that is an input, two outputs on one file,
            two outputs on standard output
options     --opt=value, bundled short flags, -V, reprint help [CMD],
            unknown options
doc         --help equals its source (src/cli/man/CMD.txt); every man page
            renders without warnings (groff, man -l)
install     cmake --install puts the man pages and the completion in place
completion  the bash completion script completes commands, options, values
            and file names
progress    on a terminal (a pty) every stage shows a label, a rate and an
            ETA; nothing when stderr is a file or with -q
malloc      the tool starts itself again with glibc's allocator tuned
            (src/cli/malloc_tune.c), keeping its arguments, standard input
            and outputs; not with REPRINT_MALLOC=0, under the user's own
            glibc.malloc tunables, with --memory, nor for sign; the
            same bytes every way
Exit 0 = pass, 77 = skipped, else fail.
"""
import hashlib
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile

REPRINT = os.path.realpath(sys.argv[1])
BUILD = os.path.realpath(sys.argv[2])
MODE = sys.argv[3]
ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEEDS = os.path.join(ROOT, "corpus", "seeds.jsonl")
MAN_SRC = os.path.join(ROOT, "src", "cli", "man")
GEN = os.path.join(ROOT, "tools", "gen-cli-doc.py")
COMMANDS = ["dedup", "sign", "trace", "index"]

failures = 0
passed = 0


def ok(msg):
    global passed
    passed += 1
    print("ok  ", msg)


def bad(msg):
    global failures
    failures += 1
    print("FAIL", msg)


def check(cond, msg, detail=""):
    if cond:
        ok(msg)
    else:
        bad(msg + (": " + detail if detail else ""))


def run(args, cwd=None, stdin=subprocess.DEVNULL, timeout=120, env=None):
    return subprocess.run([REPRINT] + args, cwd=cwd, stdin=stdin,
                          capture_output=True, timeout=timeout, env=env)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_paths(tmp):
    shutil.copy(SEEDS, os.path.join(tmp, "self.jsonl"))
    os.symlink("self.jsonl", os.path.join(tmp, "link.jsonl"))
    os.mkdir(os.path.join(tmp, "folder"))
    with open(os.path.join(tmp, "folder", "a.txt"), "w") as f:
        f.write("A text in a folder with words enough to count for once.\n")
    r = run(["sign", "-q", "self.jsonl", "-o", "s.rps"], cwd=tmp)
    check(r.returncode == 0, "paths: sign self.jsonl -o s.rps", r.stderr.decode())
    os.mkfifo(os.path.join(tmp, "never.fifo"))  # nobody writes: reading hangs
    before = {n: digest(os.path.join(tmp, n))
              for n in ("self.jsonl", "s.rps", "folder/a.txt")}
    listing = sorted(os.listdir(tmp))
    refused = [
        # an output that is an input
        ("input overwritten: --log is the input",
         ["dedup", "self.jsonl", "--log", "self.jsonl"], "is also the input"),
        ("input overwritten: -o ./self.jsonl", ["dedup", "./self.jsonl", "-o",
                                                "self.jsonl"], "is also the input"),
        ("input overwritten: through a symbolic link",
         ["dedup", "self.jsonl", "-o", "link.jsonl"], "is also the input"),
        ("input overwritten: by absolute path",
         ["dedup", "self.jsonl", "--pairs", os.path.join(tmp, "self.jsonl")],
         "is also the input"),
        ("input overwritten: sign -o the input",
         ["sign", "self.jsonl", "-o", "self.jsonl"], "is also the input"),
        ("input overwritten: trace --html the input",
         ["trace", "self.jsonl", "--json", "t.json", "--html", "./self.jsonl"],
         "is also the input"),
        ("input overwritten: dedup s.rps -o the file it was signed from",
         ["dedup", "s.rps", "-o", "self.jsonl"], "is also the input"),
        ("input overwritten: --signatures is the .rps input",
         ["dedup", "s.rps", "--signatures", "s.rps"], "is also the input"),
        ("input overwritten: an output inside an input folder",
         ["dedup", "folder", "-o", "folder/out.jsonl"], "inside the input folder"),
        # two outputs on one file
        ("duplicate outputs: -o out.txt --log out.txt",
         ["dedup", "self.jsonl", "-o", "out.txt", "--log", "out.txt"],
         "are the same file"),
        ("duplicate outputs: --pairs p --clusters ./p",
         ["dedup", "self.jsonl", "-o", "o.jsonl", "--pairs", "p",
          "--clusters", "./p"], "are the same file"),
        ("duplicate outputs: trace --json r --md r",
         ["trace", "self.jsonl", "--json", "r", "--md", "r"], "are the same file"),
        # two outputs on standard output
        ("two stdout outputs: --log - with the default -o -",
         ["dedup", "self.jsonl", "--log", "-"], "give -o FILE"),
        ("two stdout outputs: -o - --pairs -",
         ["dedup", "self.jsonl", "-o", "-", "--pairs", "-"], "standard output"),
        ("two stdout outputs: trace --json - --md -",
         ["trace", "self.jsonl", "--json", "-", "--md", "-"], "standard output"),
        # refused before anything is read: a FIFO nobody writes would hang
        ("refused before reading: a FIFO input is not opened",
         ["dedup", "never.fifo", "--log", "-"], "standard output"),
    ]
    for name, args, pattern in refused:
        try:
            r = run(args, cwd=tmp, timeout=20)
        except subprocess.TimeoutExpired:
            bad(f"{name}: hung (an input was read)")
            continue
        err = r.stderr.decode()
        check(r.returncode == 2 and pattern in err and not r.stdout,
              f"{name}: exit 2, '{err.strip()[:90]}'",
              f"exit {r.returncode}, stdout {len(r.stdout)} bytes, {err}")
        after = {n: digest(os.path.join(tmp, n)) for n in before}
        check(after == before and sorted(os.listdir(tmp)) == listing,
              f"{name}: inputs byte-identical, nothing written",
              str(sorted(os.listdir(tmp))))
    # still allowed: /dev/null twice; one output on stdout
    r = run(["dedup", "-q", "self.jsonl", "-o", "/dev/null", "--pairs",
             "/dev/null"], cwd=tmp)
    check(r.returncode == 0, "allowed: two outputs to /dev/null", r.stderr.decode())
    r = run(["dedup", "-q", "--level", "para", "self.jsonl", "-o", "kept.jsonl",
             "--log", "-"], cwd=tmp)
    check(r.returncode == 0 and b'"removed"' in r.stdout and
          os.path.getsize(os.path.join(tmp, "kept.jsonl")) > 0,
          "allowed: -o FILE --log - (the log on stdout)", r.stderr.decode())


def test_options(tmp):
    def out(args):
        r = run(args, cwd=tmp)
        return r.returncode, r.stdout, r.stderr.decode()

    a = out(["dedup", "-q", "--threshold", "0.5", "--level", "para", SEEDS,
             "--log", "a.log", "-o", "a.jsonl"])
    b = out(["dedup", "-q", "--threshold=0.5", "--level=para", SEEDS,
             "--log=b.log", "--output=b.jsonl"])
    check(a[0] == 0 and b[0] == 0 and
          digest(f"{tmp}/a.log") == digest(f"{tmp}/b.log") and
          digest(f"{tmp}/a.jsonl") == digest(f"{tmp}/b.jsonl") and
          os.path.getsize(f"{tmp}/a.log") > 0,
          "--opt=value gives what --opt value gives", a[2] + b[2])
    for args, name in ((["-qo", "c.jsonl"], "c.jsonl"),
                       (["-qoq.jsonl"], "q.jsonl")):
        r = out(["dedup", "--level", "doc"] + args + [SEEDS])
        check(r[0] == 0 and r[2] == "" and
              digest(os.path.join(tmp, name)) == digest(SEEDS),
              f"bundled short flags: {' '.join(args)}", r[2])
    r = out(["trace", "-q", SEEDS, "--json=t.json", "--min-tokens=8"])
    check(r[0] == 0 and os.path.getsize(f"{tmp}/t.json") > 0,
          "trace --json=FILE --min-tokens=8", r[2])
    r = out(["dedup", "-q", "--level", "doc", "-o", "d.jsonl", "--", SEEDS])
    check(r[0] == 0 and digest(f"{tmp}/d.jsonl") == digest(SEEDS),
          "-- ends the options", r[2])
    for flag in ("-V", "--version"):
        r = out([flag])
        check(r[0] == 0 and re.fullmatch(rb"reprint \d+\.\d+\.\d+\n", r[1]),
              f"{flag} prints the version", repr(r[1]))
    for c in COMMANDS:
        h1, h2 = out(["help", c]), out([c, "--help"])
        check(h1[0] == 0 and h1[1] == h2[1] and h1[1].startswith(
            f"usage: reprint {c}".encode()),
              f"reprint help {c} = reprint {c} --help")
    r = out(["help"])
    check(r[0] == 0 and all(f"\n  {c} ".encode() in r[1] for c in COMMANDS),
          "reprint help lists the commands", r[1].decode())
    for args, pattern in (
            (["dedup", "--frob", SEEDS], "unknown option '--frob'"),
            (["dedup", "-qz", SEEDS], "unknown option '-z'"),
            (["dedup", "--quiet=1", SEEDS], "--quiet takes no value"),
            (["dedup", SEEDS, "--threshold"], "--threshold needs a value"),
            (["dedup", SEEDS, "--threshold="], "--threshold= needs a value"),
            (["dedup", "--threshold=2", SEEDS], "not a number in (0, 1]"),
            (["sign", "--log", "x", SEEDS, "-o", "x.rps"],
             "unknown option '--log'"),
            (["trace", "--frob=1", SEEDS, "--json", "x"],
             "unknown option '--frob'"),
            (["help", "frobnicate"], "unknown command 'frobnicate'"),
            (["--frob"], "unknown option '--frob'")):
        r = out(args)
        check(r[0] == 2 and pattern in r[2],
              f"{' '.join(a for a in args if a != SEEDS)}: exit 2, {pattern}",
              f"exit {r[0]}: {r[2]}")


def test_doc(tmp):
    for src, args in [("reprint", ["--help"])] + [(c, [c, "--help"])
                                                for c in COMMANDS]:
        want = subprocess.run(
            [sys.executable, GEN, "--help-text", f"{MAN_SRC}/{src}.txt"] +
            [f"{MAN_SRC}/{c}.txt" for c in COMMANDS],
            capture_output=True, check=True).stdout
        r = run(args)
        check(r.returncode == 0 and r.stdout == want and len(want) > 200,
              f"reprint {' '.join(args)} equals src/cli/man/{src}.txt")
        with open(f"{MAN_SRC}/{src}.txt", encoding="ascii") as f:
            text = f.read()
        opts = re.findall(r"^@option (?:-\w, )?(--[a-z-]+)", text, re.M)
        missing = [o for o in opts if o.encode() not in r.stdout]
        check(not missing, f"{src}: every option of the source in --help",
              str(missing))
    groff = shutil.which("groff")
    man = shutil.which("man")
    if not groff or not man:
        print("skip: groff or man absent (tools/setup.sh test installs them)")
        sys.exit(77)
    pages = ["reprint"] + [f"reprint-{c}" for c in COMMANDS]
    for p in pages:
        page = os.path.join(BUILD, "cli", "man", p + ".1")
        if not os.path.exists(page):
            bad(f"{p}.1 not generated")
            continue
        g = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", page],
                           capture_output=True)
        check(g.returncode == 0 and not g.stderr,
              f"{p}.1: groff -ww renders it without warnings",
              g.stderr.decode())
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat",
                   PAGER="cat")
        m = subprocess.run([man, "--warnings", "-l", page], capture_output=True,
                           env=env)
        body = m.stdout.decode()
        check(m.returncode == 0 and not m.stderr and "NAME" in body and
              "SYNOPSIS" in body and ("OPTIONS" in body) and
              "SEE ALSO" in body,
              f"{p}.1: man -l renders NAME, SYNOPSIS, OPTIONS, SEE ALSO",
              m.stderr.decode() + body[:300])
        if p != "reprint":
            c = p.split("-", 1)[1]
            with open(f"{MAN_SRC}/{c}.txt", encoding="ascii") as f:
                opts = re.findall(r"^@option (?:-\w, )?(--[a-z-]+)",
                                  f.read(), re.M)
            flat = body.replace("\u2010", "-").replace("\u2212", "-")
            missing = [o for o in opts if o not in flat]
            check(not missing, f"{p}.1: every option listed", str(missing))


def test_install(tmp):
    prefix = os.path.join(tmp, "prefix")
    r = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix],
                       capture_output=True)
    check(r.returncode == 0, "cmake --install", r.stderr.decode())
    for rel in ["share/man/man1/reprint.1"] + \
            [f"share/man/man1/reprint-{c}.1" for c in COMMANDS] + \
            ["share/bash-completion/completions/reprint", "bin/reprint"]:
        check(os.path.isfile(os.path.join(prefix, rel)), f"installed: {rel}")


def complete(script, words, cwd):
    """COMPREPLY of the completion for words (the last is being typed)."""
    line = " ".join(words)
    prog = (f'source "{script}"\n'
            f'COMP_WORDS=({" ".join(repr(w) for w in words)})\n'
            f'COMP_CWORD={len(words) - 1}\nCOMP_LINE={line!r}\n'
            f'COMP_POINT=${{#COMP_LINE}}\n_reprint\n'
            'printf "%s\\n" "${COMPREPLY[@]}"\n')
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog], cwd=cwd,
                       capture_output=True, text=True)
    return r.returncode, sorted(w for w in r.stdout.split("\n") if w), r.stderr


def test_completion(tmp):
    script = os.path.join(BUILD, "cli", "reprint.bash")
    check(os.path.isfile(script), "completion script generated", script)
    os.mkdir(os.path.join(tmp, "data"))
    for n in ("news.jsonl", "news2.jsonl", "other.txt"):
        open(os.path.join(tmp, "data", n), "w").close()
    cases = [
        (["reprint", "de"], ["dedup"]),
        (["reprint", ""], ["--help", "--version", "-V", "-h", "dedup", "help",
                           "index", "sign", "trace"]),
        (["reprint", "dedup", "--ag"], ["--against"]),
        (["reprint", "help", "tr"], ["trace"]),
        (["reprint", "dedup", "--lev"], ["--level"]),
        (["reprint", "dedup", "--level", ""], ["both", "doc", "para"]),
        (["reprint", "dedup", "--keep", "e"], ["earliest"]),
        (["reprint", "dedup", "--level", "=", "p"], ["para"]),
        (["reprint", "trace", "--ht"], ["--html"]),
        (["reprint", "sign", "--lo"], []),
        (["reprint", "dedup", "data/ne"], ["data/news.jsonl",
                                           "data/news2.jsonl"]),
        (["reprint", "dedup", "-o", "data/o"], ["data/other.txt"]),
        (["reprint", "trace", "--json", "data/ne"], ["data/news.jsonl",
                                                     "data/news2.jsonl"]),
        (["reprint", "dedup", "--threshold", ""], []),
    ]
    for words, want in cases:
        rc, got, err = complete(script, words, tmp)
        check(rc == 0 and got == want and not err,
              f"complete '{' '.join(words)}' -> {want}", f"{got} {err}")


def pty_run(args, cwd):
    """Run with stderr (only) on a pseudo-terminal; its bytes."""
    master, slave = pty.openpty()
    p = subprocess.Popen([REPRINT] + args, cwd=cwd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    return p.wait(), data.decode("utf-8", "replace")


def test_progress(tmp):
    gen = os.path.join(ROOT, "tools", "gen-corpus.py")
    corpus = os.path.join(tmp, "c.jsonl")
    subprocess.run([sys.executable, gen, "--size", "2M", "--seed", "3", "-o",
                    corpus], check=True, capture_output=True)
    env_stages = {
        "dedup": ["read", "candidates", "verify", "cluster", "write"],
        "sign": ["read"],
        "trace": ["read", "words", "candidates", "compare", "passages",
                  "evidence", "quotes", "write"],
    }
    runs = {
        "dedup": ["dedup", corpus, "-o", "o.jsonl", "--threads", "2"],
        "sign": ["sign", corpus, "-o", "o.rps"],
        "trace": ["trace", corpus, "--json", "o.json", "--threads", "2"],
    }
    outputs = {"dedup": "o.jsonl", "sign": "o.rps", "trace": "o.json"}
    for cmd, args in runs.items():
        rc, text = pty_run(args, tmp)
        with_progress = digest(os.path.join(tmp, outputs[cmd]))
        lines = [l for l in re.split(r"[\r\n]", text) if l.strip()]
        for stage in env_stages[cmd]:
            shown = [l for l in lines if re.search(
                rf"\b{stage}\b.*(/s|ETA|\d+ s\b)", l)]
            check(rc == 0 and shown, f"{cmd}: progress shows '{stage}' with a "
                  "rate", "\n".join(lines[-8:]))
        # trace's compare stage is long enough for an estimate everywhere
        eta = [l for l in lines if re.search(
            r"ETA \d" if cmd == "trace" else "ETA", l)]
        check(eta, f"{cmd}: an ETA is shown", "\n".join(lines[-8:]))
        pct = [l for l in lines if re.search(r"\d+%", l)]
        check(pct, f"{cmd}: a percentage is shown")
        # quiet: nothing at all on the terminal
        rc, text = pty_run(args + ["-q"], tmp)
        check(rc == 0 and text.strip() == "", f"{cmd} -q: nothing on stderr",
              repr(text[:200]))
        # stderr a file: the summary only, no progress
        r = run(args, cwd=tmp)
        err = r.stderr.decode()
        check(r.returncode == 0 and "\r" not in err and "ETA" not in err and
              "\033" not in err,
              f"{cmd}: no progress when stderr is a file", err[:300])
        check(digest(os.path.join(tmp, outputs[cmd])) == with_progress,
              f"{cmd}: the same output with progress shown or not")


def read_or_empty(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def test_malloc(tmp):
    seeds = open(SEEDS, "rb").read()
    base = dict(os.environ)
    for k in ("REPRINT_MALLOC", "GLIBC_TUNABLES"):
        base.pop(k, None)
    cases = [("tuned", {}, [], "glibc tuned by reprint"),
             ("off", {"REPRINT_MALLOC": "0"}, [], "as the C library sets it"),
             ("user's", {"GLIBC_TUNABLES": "glibc.malloc.arena_max=4"}, [],
              "as the C library and GLIBC_TUNABLES set it"),
             ("budget", {}, ["--memory", "64M", "--tmp-dir", tmp],
              "not tuned under --memory")]
    outs = {}
    for name, extra, opts, says in cases:
        d = os.path.join(tmp, f"out {name} é")  # a space and UTF-8 kept
        os.mkdir(d)
        args = ["dedup", "-v", *opts, "--level", "both", "-", "-o",
                os.path.join(d, "kept.jsonl"), "--log",
                os.path.join(d, "log.jsonl")]
        p = subprocess.run([REPRINT] + args, input=seeds,
                           capture_output=True, timeout=120,
                           env={**base, **extra})
        err = p.stderr.decode("utf-8", "replace")
        check(p.returncode == 0, f"malloc {name}: dedup from stdin exits 0",
              err[-2000:])
        line = [x for x in err.splitlines() if "allocator:" in x]
        check(len(line) == 1 and says in line[0],
              f"malloc {name}: -v says the allocator is {says!r}",
              "; ".join(line) or err[-2000:])
        outs[name] = [read_or_empty(os.path.join(d, f))
                      for f in ("kept.jsonl", "log.jsonl")]
        check(outs[name][0] != b"" and outs[name][1] != b"",
              f"malloc {name}: records and log written")
    check(outs["tuned"] == outs["off"] == outs["user's"] == outs["budget"],
          "malloc: records and log byte-identical tuned or not")
    # sign holds no tables: not tuned
    p = run(["sign", "-v", SEEDS, "-o", os.path.join(tmp, "s.rps")],
            env=base)
    err = p.stderr.decode("utf-8", "replace")
    check(p.returncode == 0 and "allocator: as the C library" in err
          and "for sign" in err, "malloc: sign is not tuned", err[-1000:])
    # a usage error still reads as one after the new start
    p = run(["dedup", "--no-such-option", SEEDS], env=base)
    check(p.returncode == 2 and b"no-such-option" in p.stderr,
          "malloc: a usage error is exit 2, named, after the new start",
          p.stderr.decode("utf-8", "replace")[-500:])


def main():
    tmp = tempfile.mkdtemp(prefix="reprint-conv.")
    try:
        {"paths": test_paths, "options": test_options, "doc": test_doc,
         "install": test_install, "completion": test_completion,
         "progress": test_progress, "malloc": test_malloc}[MODE](tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
