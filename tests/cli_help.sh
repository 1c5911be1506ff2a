#!/bin/sh
# Help and usage of every command, against the sources, so that an option added
# without documenting it fails here:
# - the commands are main.c's table (`{"name", cmd_fn, ...}`), and `manrs help`
#   lists exactly those;
# - `manrs CMD --help`, `manrs CMD -h` and `manrs help CMD` exit 0 and print the
#   same non-empty text on stdout (nothing on stderr), starting "usage: manrs CMD";
# - that text names every long option of the command's `struct option` table
#   (src/cli/<cmd_fn>.c, lines like {"rib", required_argument, ...}) at the start
#   of an option line ("  --name ARG  what it does", or "  -x, --name ..."), and
#   every letter of its getopt_long option string (or of the .shortopts of its
#   cli_getopt, src/cli/cli.h) as -x;
# - `manrs CMD --bogus` exits 2, prints nothing on stdout and the usage on stderr;
# - docs/manrs.1 documents every long option of the command (--help aside: the
#   page says once that every command takes it) as the tag of a .TP entry in the
#   command's DESCRIPTION subsection (.SS CMD), names every short option (-h
#   aside) there, renders without groff warnings, and its
#   SYNOPSIS has exactly one rendered line per command, each starting "manrs CMD".
set -u
BIN=${MANRS_BIN:?}
SRC=${MANRS_SRC:?}
MAN=$SRC/docs/manrs.1
T=${MANRS_TMP:-/tmp}/cli_help.$$
mkdir -p "$T" || exit 1
trap 'rm -rf "$T"' EXIT
fail=0; pass=0
ok() { pass=$((pass+1)); }
ko() { fail=$((fail+1)); echo "FAIL $*"; }

# -x as a word of its own (not the -m of --min-peers); --name at the start of its
# own line, after the indent and an optional "-x, ": an option line of a usage, or
# the tag of a man page .TP entry (not a mention in passing, nor --irr-sources for --irr)
has_short() { grep -Eq -- "(^|[^-[:alnum:]])-$1([^[:alpha:]]|\$)" "$2"; }
has_long() { grep -Eq -- "^ *(-[[:alnum:]], +)?--$1([ =,]|\$)" "$2"; }

# name and function of every command, from main.c's table
sed -n 's/^ *{"\([a-z0-9-]*\)", *\(cmd_[a-z0-9_]*\),.*/\1 \2/p' "$SRC/src/cli/main.c" >"$T/commands"
n=$(wc -l <"$T/commands")
[ "$n" -ge 10 ] && ok || ko "main.c: only $n commands found in the table"

# `manrs help` and `manrs --help`: exit 0, every command listed, no other
for h in help --help -h; do
    "$BIN" $h >"$T/top" 2>"$T/top.err"; rc=$?
    [ $rc = 0 ] && [ ! -s "$T/top.err" ] && ok || ko "manrs $h: exit $rc, stderr: $(head -c 200 "$T/top.err")"
done
"$BIN" help | sed -n '/^commands:/,/^$/s/^  \([a-z0-9-]*\) .*/\1/p' | sort >"$T/listed"
cut -d' ' -f1 "$T/commands" | sort >"$T/table"
cmp -s "$T/listed" "$T/table" && ok || ko "manrs help lists [$(tr '\n' ' ' <"$T/listed")], main.c has [$(tr '\n' ' ' <"$T/table")]"
"$BIN" >/dev/null 2>"$T/none.err"; rc=$?
[ $rc = 2 ] && grep -q '^usage: manrs' "$T/none.err" && ok || ko "manrs without a command: exit $rc"
"$BIN" help no-such-command >"$T/out" 2>/dev/null; rc=$?
[ $rc = 2 ] && [ ! -s "$T/out" ] && ok || ko "manrs help no-such-command: exit $rc"

# the man page: the subsection of each command as text: \- turned into -, no font changes
man_section() {
    awk -v ss=".SS $(printf %s "$1" | sed 's/-/\\\\-/g')" '
        $0 == ss { on = 1; next }
        on && /^\.S[HS]/ { exit }
        on { print }' "$MAN" | sed 's/\\f[BIRP]//g; s/\\&//g; s/\\-/-/g'
}

while read -r cmd fn; do
    file=$SRC/src/cli/$fn.c
    if [ ! -f "$file" ]; then ko "$cmd: no source file $file"; continue; fi
    # long options of the struct option table(s)
    # (CLI_OBS_INPUT_OPTIONS: the observatory's input options, defined in cli.h)
    { grep -o '{"[a-z0-9-]*", *\(no\|required\|optional\)_argument' "$file"
      if grep -q 'CLI_OBS_INPUT_OPTIONS' "$file"; then
          sed -n '/^#define CLI_OBS_INPUT_OPTIONS/,/[^\\]$/p' "$SRC/src/cli/cli.h" |
              grep -o '{"[a-z0-9-]*", *\(no\|required\|optional\)_argument'
      fi; } | sed 's/^{"\([^"]*\)".*/\1/' | sort -u >"$T/$cmd.long"
    [ -s "$T/$cmd.long" ] && ok || ko "$cmd: no struct option entries found in $file"
    grep -qx help "$T/$cmd.long" && ok || ko "$cmd: no --help in the struct option table of $file"
    # letters of the getopt_long option string (cli_next_option's: .shortopts)
    optstr=$(tr '\n' ' ' <"$file" | grep -o 'getopt_long([^"]*"[^"]*"\|\.shortopts = "[^"]*"' |
        sed 's/.*"\([^"]*\)"$/\1/' | head -n 1)
    [ -n "$optstr" ] && ok || ko "$cmd: no getopt_long option string found in $file"
    printf %s "$optstr" | tr -d ':' | fold -w1 >"$T/$cmd.short"

    # --help, -h and `help CMD`: the same text, on stdout, exit 0
    for form in "$cmd --help" "$cmd -h" "help $cmd"; do
        # shellcheck disable=SC2086
        "$BIN" $form >"$T/out" 2>"$T/err"; rc=$?
        if [ $rc != 0 ] || [ ! -s "$T/out" ] || [ -s "$T/err" ]; then
            ko "manrs $form: exit $rc, $(wc -c <"$T/out") bytes on stdout, stderr: $(head -c 200 "$T/err")"
        elif [ "$form" = "$cmd --help" ]; then
            cp "$T/out" "$T/$cmd.help"; ok
        elif cmp -s "$T/out" "$T/$cmd.help"; then ok
        else ko "manrs $form differs from manrs $cmd --help"; fi
    done
    [ -s "$T/$cmd.help" ] || continue
    head -n 1 "$T/$cmd.help" | grep -q "^usage: manrs $cmd\( \|\$\)" && ok ||
        ko "manrs $cmd --help does not start with 'usage: manrs $cmd': $(head -n 1 "$T/$cmd.help")"
    while read -r o; do
        has_long "$o" "$T/$cmd.help" && ok || ko "manrs $cmd --help does not document --$o ($fn.c has it)"
    done <"$T/$cmd.long"
    while read -r c; do
        has_short "$c" "$T/$cmd.help" && ok || ko "manrs $cmd --help does not document -$c (the option string of $fn.c has it)"
    done <"$T/$cmd.short"

    # an unknown option: exit 2, usage on stderr, nothing on stdout
    "$BIN" "$cmd" --bogus >"$T/out" 2>"$T/err"; rc=$?
    [ $rc = 2 ] && ok || ko "manrs $cmd --bogus: exit $rc, not 2"
    [ ! -s "$T/out" ] && ok || ko "manrs $cmd --bogus: printed on stdout"
    grep -q "^usage: manrs $cmd" "$T/err" && ok || ko "manrs $cmd --bogus: no usage on stderr"

    # the man page's subsection documents the same options
    man_section "$cmd" >"$T/$cmd.man"
    if [ ! -s "$T/$cmd.man" ]; then ko "docs/manrs.1: no .SS $cmd"; continue; fi
    # the line after each .TP, as text: ".BR -m ", " --machine" -> "-m, --machine"
    awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$T/$cmd.man" |
        sed 's/^\.[BIR]* //; s/"//g; s/ *, */, /g' >"$T/$cmd.tags"
    while read -r o; do
        [ "$o" = help ] && continue
        has_long "$o" "$T/$cmd.tags" && ok || ko "docs/manrs.1, .SS $cmd: no .TP entry for --$o"
    done <"$T/$cmd.long"
    while read -r c; do
        [ "$c" = h ] && continue
        has_short "$c" "$T/$cmd.man" && ok || ko "docs/manrs.1, .SS $cmd: -$c not documented"
    done <"$T/$cmd.short"
done <"$T/commands"

# the man page renders without warnings; SYNOPSIS: one line per command
if command -v groff >/dev/null; then
    groff -ww -man -z "$MAN" 2>"$T/warn"
    [ ! -s "$T/warn" ] && ok || ko "groff warnings on docs/manrs.1: $(head -c 500 "$T/warn")"
    groff -man -Tascii -rLL=78n -P-c -P-b -P-u "$MAN" 2>/dev/null >"$T/man.txt"
elif command -v mandoc >/dev/null; then
    mandoc -Tlint -Wwarning "$MAN" >"$T/warn" 2>&1
    [ ! -s "$T/warn" ] && ok || ko "mandoc warnings on docs/manrs.1: $(head -c 500 "$T/warn")"
    mandoc -Tascii -Owidth=78 "$MAN" | col -bx >"$T/man.txt"
fi
if [ -s "$T/man.txt" ]; then
    sed -n '/^SYNOPSIS/,/^[A-Z]/p' "$T/man.txt" | sed '1d;$d' | sed '/^ *$/d; s/^ *//' >"$T/synopsis"
    grep -v '^manrs ' "$T/synopsis" | sed 's/^/  /' >"$T/stray"
    [ ! -s "$T/stray" ] && ok || ko "SYNOPSIS: lines not starting with 'manrs' (a command spilling over):
$(cat "$T/stray")"
    while read -r cmd fn; do
        k=$(grep -c "^manrs $cmd " "$T/synopsis")
        [ "$k" = 1 ] && ok || ko "SYNOPSIS: $k lines for manrs $cmd, want 1"
    done <"$T/commands"
    grep -q '^manrs help COMMAND' "$T/synopsis" && ok || ko "SYNOPSIS: no 'manrs help COMMAND' line"
else
    echo "SKIP: neither groff nor mandoc: the man page rendering checks"
fi

echo "help: $pass passed, $fail failed"
[ $fail = 0 ]
