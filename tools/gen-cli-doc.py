#!/usr/bin/env python3
"""gen-cli-doc.py - the reprint tool's help, man pages, option tables and
bash completion, all from one source per command (src/cli/man/*.txt).

Run at build time (CMakeLists.txt):

  gen-cli-doc.py --version 0.1.0 --out DIR reprint.txt dedup.txt ...
      writes DIR/cli_doc.h and DIR/cli_doc.c (each command's --help text,
      summary and option table), DIR/man/reprint.1 and reprint-CMD.1 (roff),
      and DIR/reprint.bash (bash completion)
  gen-cli-doc.py --help-text dedup.txt
      prints the --help text of one source (tests compare it with the tool)

Source format, line by line ('#' lines are comments):

  @command NAME          the command (reprint for the top level)
  @summary TEXT          one line: the command list and the man page's NAME
  @usage TEXT            the synopsis
  @section NAME          starts a group of options ("output:")
  @option -o, --output FILE
                         an option; the following text lines describe it.
                         The value's name says what it is: FILE and DIR
                         complete file names, a|b|c completes those words,
                         anything else (N, J, NAME) takes a value. No value
                         name: a flag
  @operand INPUT...      an operand, listed like an option
  @include FILE          the lines of another source (shared options)
  @commands              (top level) the list of commands
  @man TITLE             a man page section only (not in --help), up to the
                         next @man or the end
  text                   paragraphs, reflowed; a blank line ends one; lines
                         indented by two spaces are kept as they are
"""
import argparse
import os
import re
import sys
import textwrap

WIDTH = 79
COL = 27  # where option descriptions start in --help


class Entry:
    def __init__(self, kind, label):
        self.kind = kind  # "option" or "operand"
        self.label = label
        self.text = []
        self.short = None
        self.long = None
        self.arg = None
        if kind == "option":
            m = re.fullmatch(r"(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)(?: (\S+))?",
                             label)
            if not m:
                sys.exit(f"gen-cli-doc: bad @option '{label}'")
            self.short, self.long, self.arg = m.groups()


class Doc:
    def __init__(self):
        self.command = self.summary = self.usage = None
        self.blocks = []  # ("para", lines) | ("verbatim", lines) |
        #                   ("section", name) | ("entry", Entry) | ("commands",)
        self.man = []  # (title, blocks)

    def options(self):
        return [b[1] for b in self.blocks
                if b[0] == "entry" and b[1].kind == "option"]


def read_lines(path, seen=()):
    if path in seen:
        sys.exit(f"gen-cli-doc: {path} includes itself")
    out = []
    with open(path, encoding="ascii") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if line.startswith("@include "):
                inc = os.path.join(os.path.dirname(path), line.split(None, 1)[1])
                out.extend(read_lines(inc, seen + (path,)))
            else:
                out.append((path, n, line))
    return out


def parse(path):
    doc = Doc()
    blocks = doc.blocks
    cur = None  # the text target: an Entry's text, or None for paragraphs
    para = []

    def flush():
        nonlocal para
        if para:
            if cur is not None:
                cur.extend(para)
            elif para[0].startswith("  "):
                blocks.append(("verbatim", para))
            else:
                blocks.append(("para", para))
        para = []

    for where, n, line in read_lines(path):
        if line.startswith("@"):
            flush()
            key, _, val = line.partition(" ")
            val = val.strip()
            if key in ("@command", "@summary", "@usage"):
                setattr(doc, key[1:], val)
                continue
            cur = None
            if key == "@section":
                blocks.append(("section", val))
            elif key in ("@option", "@operand"):
                e = Entry(key[1:], val)
                blocks.append(("entry", e))
                cur = e.text
            elif key == "@commands":
                blocks.append(("commands",))
            elif key == "@man":
                blocks = []
                doc.man.append((val, blocks))
            else:
                sys.exit(f"gen-cli-doc: {where}:{n}: unknown directive {key}")
        elif not line.strip():
            flush()
            cur = None  # a blank line ends an option's text
        else:
            verbatim = line.startswith("  ")
            if para and verbatim != para[0].startswith("  "):
                flush()
            para.append(line)
    flush()
    if not doc.command or not doc.summary or not doc.usage:
        sys.exit(f"gen-cli-doc: {path}: @command, @summary and @usage needed")
    seen = set()
    for e in doc.options():
        for k in (e.long, e.short):
            if k and k in seen:
                sys.exit(f"gen-cli-doc: {path}: option {k} twice")
            seen.add(k)
    return doc


def words(lines):
    return " ".join(l.strip() for l in lines)


def help_text(doc, subs):
    out = [f"usage: {doc.usage}", ""]
    section = None
    for b in doc.blocks:
        if b[0] == "para":
            if out[-1] != "":
                out.append("")
            out.extend(textwrap.wrap(words(b[1]), WIDTH - 3))
            out.append("")
        elif b[0] == "verbatim":
            out.extend(b[1])
            out.append("")
        elif b[0] == "section":
            section = b[1]
            out.append(f"{section}:")
        elif b[0] == "commands":
            out.append("commands:")
            for s in subs:
                out.append(f"  {s.command:<8} {s.summary}")
            out.append(f"  {'help':<8} describe a command: reprint help "
                       "COMMAND")
            out.append("")
        elif b[0] == "entry":
            e = b[1]
            label = "  " + e.label
            desc = textwrap.wrap(words(e.text), WIDTH - COL)
            if len(label) > COL - 2 and desc:
                out.append(label)
                label = ""
            first = desc[0] if desc else ""
            out.append((label.ljust(COL) + first).rstrip())
            out.extend(" " * COL + d for d in desc[1:])
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def roff_text(s):
    s = s.replace("\\", "\\e")
    return s


def roff_line(s):
    s = roff_text(s)
    if s.startswith((".", "'")):
        s = "\\&" + s
    return s


def roff_opt(e):
    parts = []
    if e.kind == "operand":
        return "\\fI" + roff_text(e.label) + "\\fR"
    if e.short:
        parts.append(f"\\fB\\-{e.short}\\fR, ")
    parts.append(f"\\fB\\-\\-{e.long}\\fR")
    if e.arg:
        parts.append(" \\fI" + roff_text(e.arg) + "\\fR")
    return "".join(parts)


def man_name(doc):
    return "reprint" if doc.command == "reprint" else f"reprint-{doc.command}"


def man_page(doc, subs, version, source):
    name = man_name(doc)
    rname = name.replace("-", "\\-")
    out = [f'.\\" {name}(1): generated by tools/gen-cli-doc.py from '
           f'{source}; do not edit',
           f'.TH {rname.upper()} 1 "" "reprint {version}" "User Commands"',
           ".SH NAME", f"{rname} \\- {roff_text(doc.summary)}",
           ".SH SYNOPSIS", ".nf", roff_line(doc.usage), ".fi"]
    in_options = False
    first = True
    for b in doc.blocks:
        if b[0] in ("para", "verbatim") and first:
            out.append(".SH DESCRIPTION")
        first = False
        if b[0] == "para":
            out.append(".PP")
            out.extend(roff_line(l.strip()) for l in b[1])
        elif b[0] == "verbatim":
            out += [".PP", ".nf", ".RS 2"]
            out.extend(roff_line(l[2:]) for l in b[1])
            out += [".RE", ".fi"]
        elif b[0] == "commands":
            out.append(".SH COMMANDS")
            for s in subs:
                out += [".TP", f"\\fB{s.command}\\fR",
                        roff_line(s.summary) + ";",
                        f"see \\fB{man_name(s)}\\fR(1)."]
            out += [".TP", "\\fBhelp\\fR [\\fICOMMAND\\fR]",
                    "list the commands, or describe one (as "
                    "\\fICOMMAND\\fR \\fB\\-\\-help\\fR)"]
        elif b[0] == "section":
            if not in_options:
                out.append(".SH OPTIONS")
                in_options = True
            out.append(".SS " + roff_text(b[1]))
        elif b[0] == "entry":
            e = b[1]
            out += [".TP", roff_opt(e)]
            out.extend(roff_line(l.strip()) for l in e.text)
    for title, blocks in doc.man:
        out.append(f'.SH {roff_text(title)}')
        for b in blocks:
            if b[0] == "para":
                out.append(".PP")
                out.extend(roff_line(l.strip()) for l in b[1])
            elif b[0] == "verbatim":
                out += [".PP", ".nf", ".RS 2"]
                out.extend(roff_line(l[2:]) for l in b[1])
                out += [".RE", ".fi"]
    see = [man_name(s) for s in subs] if doc.command == "reprint" else \
        ["reprint"]
    out += [".SH SEE ALSO",
            ",\n".join(f"\\fB{s}\\fR(1)" for s in see)]
    return "\n".join(out) + "\n"


def c_string(s):
    lines = s.split("\n")
    parts = []
    for i, l in enumerate(lines):
        if i == len(lines) - 1 and l == "":
            break
        esc = l.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'    "{esc}\\n"')
    return "\n".join(parts) if parts else '    ""'


def ident(doc):
    return doc.command.replace("-", "_")


def c_files(docs, subs):
    h = ["/* cli_doc.h - generated by tools/gen-cli-doc.py from "
         "src/cli/man/CMD.txt; do not edit. */",
         "#ifndef RP_CLI_DOC_H", "#define RP_CLI_DOC_H", "",
         "/* One option: its long name with the dashes (\"--output\"), its",
         " * short letter or 0, and its value's name or NULL for a flag. */",
         "typedef struct cli_optdef {", "    const char *name;",
         "    char short_name;", "    const char *arg;", "} cli_optdef;", ""]
    c = ["/* cli_doc.c - generated by tools/gen-cli-doc.py from "
         "src/cli/man/CMD.txt; do not edit. */", '#include "cli_doc.h"', "",
         "#include <stddef.h>", ""]
    for d in docs:
        i = ident(d)
        h += [f"extern const char cli_help_{i}[];",
              f"extern const char cli_summary_{i}[];",
              f"extern const cli_optdef cli_opts_{i}[]; /* ends with a NULL name */"]
        c.append(f"const char cli_help_{i}[] =")
        c.append(c_string(help_text(d, subs)) + ";")
        c.append(f'const char cli_summary_{i}[] = "{d.summary}";')
        c.append(f"const cli_optdef cli_opts_{i}[] = {{")
        for e in d.options():
            sh = f"'{e.short}'" if e.short else "0"
            arg = f'"{e.arg}"' if e.arg else "NULL"
            c.append(f'    {{"--{e.long}", {sh}, {arg}}},')
        c.append("    {NULL, 0, NULL}};")
        c.append("")
    h += ["", "#endif"]
    return "\n".join(h) + "\n", "\n".join(c)


def completion(top, subs):
    names = " ".join(s.command for s in subs)
    top_opts = " ".join(o for e in top.options()
                        for o in ([f"-{e.short}"] if e.short else []) +
                        [f"--{e.long}"])
    out = ["# bash completion for reprint(1): generated by tools/gen-cli-doc.py",
           "# from src/cli/man/*.txt; do not edit.",
           "_reprint()",
           "{",
           "    local cur=${COMP_WORDS[COMP_CWORD]} i=$COMP_CWORD",
           "    local prev=${COMP_WORDS[COMP_CWORD-1]}",
           "    # --opt=value: readline splits at '=' (COMP_WORDBREAKS)",
           '    if [[ $cur == = ]]; then',
           '        cur=; prev=${COMP_WORDS[COMP_CWORD-1]}',
           '    elif [[ $prev == = && $i -ge 2 ]]; then',
           '        prev=${COMP_WORDS[COMP_CWORD-2]}',
           "    fi",
           "    COMPREPLY=()",
           "    if [[ $COMP_CWORD -le 1 ]]; then",
           f'        mapfile -t COMPREPLY < <(compgen -W "{names} help {top_opts}" -- "$cur")',
           "        return",
           "    fi",
           "    local opts= files= words=",
           '    case ${COMP_WORDS[1]} in',
           "    help)",
           f'        [[ $COMP_CWORD == 2 ]] && mapfile -t COMPREPLY < <(compgen -W "{names}" -- "$cur")',
           "        return ;;"]
    for s in subs:
        opts = []
        file_opts = []
        word_opts = []
        value_opts = []
        for e in s.options():
            forms = ([f"-{e.short}"] if e.short else []) + [f"--{e.long}"]
            opts += forms
            if not e.arg:
                continue
            if e.arg in ("FILE", "DIR", "F") or e.arg.endswith(".rps"):
                file_opts += forms
            elif "|" in e.arg:
                word_opts.append((forms, e.arg.replace("|", " ")))
            else:
                value_opts += forms
        out.append(f"    {s.command})")
        out.append(f'        opts="{" ".join(opts)}"')
        out.append("        case $prev in")
        if file_opts:
            out.append(f"        {'|'.join(file_opts)}) files=1 ;;")
        for forms, w in word_opts:
            out.append(f"        {'|'.join(forms)}) words=\"{w}\" ;;")
        if value_opts:
            out.append(f"        {'|'.join(value_opts)}) return ;; # a value")
        out.append("        esac ;;")
    out += ["    *) return ;;",
            "    esac",
            '    if [[ -n $words ]]; then',
            '        mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")',
            '    elif [[ -z $files && $cur == -* ]]; then',
            '        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")',
            "    else",
            "        compopt -o filenames 2> /dev/null",
            '        mapfile -t COMPREPLY < <(compgen -f -- "$cur")',
            "    fi",
            "}",
            "complete -F _reprint reprint",
            ""]
    return "\n".join(out)


def write(path, text):
    # rewritten only when it changes, so make does not rebuild for nothing
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--version", default="0")
    ap.add_argument("--out")
    ap.add_argument("--help-text", metavar="SOURCE")
    ap.add_argument("sources", nargs="*")
    a = ap.parse_args()
    docs = [parse(p) for p in a.sources]
    top = next((d for d in docs if d.command == "reprint"), None)
    subs = [d for d in docs if d.command != "reprint"]
    if a.help_text:
        sys.stdout.write(help_text(parse(a.help_text), subs))
        return
    if not top or not a.out:
        sys.exit("gen-cli-doc: give --out DIR and the sources, reprint.txt "
                 "among them")
    os.makedirs(os.path.join(a.out, "man"), exist_ok=True)
    h, c = c_files(docs, subs)
    write(os.path.join(a.out, "cli_doc.h"), h)
    write(os.path.join(a.out, "cli_doc.c"), c)
    for d, p in zip(docs, a.sources):
        src = "src/cli/man/" + os.path.basename(p)
        write(os.path.join(a.out, "man", man_name(d) + ".1"),
              man_page(d, subs, a.version, src))
    write(os.path.join(a.out, "reprint.bash"), completion(top, subs))


if __name__ == "__main__":
    main()
