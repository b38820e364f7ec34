#!/bin/sh
# The actor and issue limits of the peer tables (docs/ROBUSTNESS.md, "Limits"):
# Decide, KTAB CSV, BDM CSV and DEU TSV take at most 1000 actors and 500
# issues, as scenarios do (docs/FORMAT.md). For each format and each limit, a
# table exactly at the limit must be forecast (compromise, exit 0) and one past
# it refused with exit 2 (PARLEY_ELIMIT) and a message naming the limit at the
# line where the extra actor or issue is declared.
# Usage: sh robustness_peer_limits.sh PATH_TO_PARLEY SOURCE_DIR
PARLEY=$1
SRC=$2
case $PARLEY in
/*) ;;
*) PARLEY=$(pwd)/$PARLEY ;;
esac
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cd "$SRC" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# forecast NAME FORMAT: exit status of a compromise forecast of $tmp/NAME.
forecast() {
    "$PARLEY" forecast "$tmp/$1" --input-format "$2" --model compromise >/dev/null 2>"$tmp/$1.err"
}
# accept NAME FORMAT: the table at the limit is forecast.
accept() {
    forecast "$1" "$2"
    rc=$?
    [ "$rc" -eq 0 ] || fail "$1: exit $rc, want 0 ($(head -c 300 "$tmp/$1.err"))"
}
# refuse NAME FORMAT TEXT WHERE: exit 2, stderr names the limit (TEXT) at WHERE.
refuse() {
    forecast "$1" "$2"
    rc=$?
    [ "$rc" -eq 2 ] || fail "$1: exit $rc, want 2 ($(head -c 300 "$tmp/$1.err"))"
    grep -qF -- "$3" "$tmp/$1.err" || fail "$1: no '$3' in: $(head -c 300 "$tmp/$1.err")"
    grep -qF -- "$1:$4" "$tmp/$1.err" || fail "$1: not located at $4: $(head -c 300 "$tmp/$1.err")"
}

n=0
# ---- BDM CSV: one actor per line after the header (line N+1 holds actor N) ----
for count in 1000 1001; do
    awk -v n=$count 'BEGIN { print "Actor,Capability,Position,Salience"
        for (k = 0; k < n; k++) printf "a%d,%d,%d,0.5\n", k, k % 7 + 1, k % 101 }' >"$tmp/bdm$count.csv"
done
accept bdm1000.csv bdm
refuse bdm1001.csv bdm "more than 1000 actors: at most 1000" 1002:1
n=$((n + 1))

# ---- KTAB CSV: title line, header, one actor per line; dimensions are issues ----
for count in 1000 1001; do
    awk -v n=$count 'BEGIN { printf "many,\"hostile\",%d,1,\n", n
        print "Actor,Description,Power,Pstn1,Sal1,"
        for (k = 0; k < n; k++) printf "a%d,a,%d,%d,50,\n", k, k % 7 + 1, k % 101 }' >"$tmp/ktab$count.csv"
done
accept ktab1000.csv ktab
refuse ktab1001.csv ktab "more than 1000 actors: at most 1000" 1:
# The title line may understate the actors: the 1001st line is refused anyway.
awk 'BEGIN { print "many,\"hostile\",3,1,"; print "Actor,Description,Power,Pstn1,Sal1,"
    for (k = 0; k < 1001; k++) printf "a%d,a,1,50,50,\n", k }' >"$tmp/ktab_lying.csv"
refuse ktab_lying.csv ktab "more than 1000 actors: at most 1000" 1003:1
for count in 500 501; do
    awk -v d=$count 'BEGIN { printf "wide,\"hostile\",2,%d,\n", d
        printf "Actor,Description,Power"
        for (k = 0; k < d; k++) printf ",P%d,S%d", k, k
        printf "\n"
        for (a = 0; a < 2; a++) { printf "a%d,a,1", a; for (k = 0; k < d; k++) printf ",%d,0.2", (a * 37 + k) % 101; printf "\n" } }' \
        >"$tmp/ktab_dims$count.csv"
done
accept ktab_dims500.csv ktab
refuse ktab_dims501.csv ktab "more than 500 dimensions (issues): at most 500" 1:
n=$((n + 1))

# ---- Decide: #A and #P declarations ----
# decide ACTORS ISSUES: every actor has a stance on the first issue.
decide() {
    awk -v na="$1" -v ni="$2" 'BEGIN { t = "\t"
        for (a = 0; a < na; a++) printf "#A%sa%d%sActor %d\n", t, a, t, a
        for (i = 0; i < ni; i++) printf "#P%sp%d%sIssue %d\n", t, i, t, i
        for (i = 0; i < ni; i++) printf "#M%sp%d%s0\n#M%sp%d%s100\n", t, i, t, t, i, t
        for (a = 0; a < na; a++) printf "#D%sa%d%sp0%s%d%s0.5%s%d\n", t, a, t, t, a % 101, t, t, a % 7 + 1
        for (i = 1; i < ni; i++) printf "#D%sa0%sp%d%s50%s0.5%s1\n#D%sa1%sp%d%s60%s0.5%s1\n", t, t, i, t, t, t, t, t, i, t, t, t }'
}
decide 1000 1 >"$tmp/decide_a1000.txt"
decide 1001 1 >"$tmp/decide_a1001.txt"
accept decide_a1000.txt decide
refuse decide_a1001.txt decide "more than 1000 actors (#A records): at most 1000" 1001:
decide 2 500 >"$tmp/decide_p500.txt"
decide 2 501 >"$tmp/decide_p501.txt"
accept decide_p500.txt decide
refuse decide_p501.txt decide "more than 500 issues (#P records): at most 500" 503:
n=$((n + 1))

# ---- DEU TSV: actors are pX/sX column pairs, issues are lines after line 2 ----
# deu ACTORS ISSUES
deu() {
    awk -v na="$1" -v ni="$2" 'BEGIN { t = "\t"
        printf "isnr%srp%sout", t, t; for (a = 0; a < na; a++) printf "%sp%d%ss%d", t, a, t, a; printf "\n"
        printf "%s%s", t, t; for (a = 0; a < na; a++) printf "%s%d%s", t, a % 7 + 1, t; printf "\n"
        for (i = 0; i < ni; i++) { printf "i%d%s0%s50", i, t, t
            for (a = 0; a < na; a++) printf "%s%d%s50", t, (a + i) % 101, t; printf "\n" } }'
}
deu 1000 1 >"$tmp/deu_a1000.tsv"
deu 1001 1 >"$tmp/deu_a1001.tsv"
accept deu_a1000.tsv deu
refuse deu_a1001.tsv deu "more than 1000 actors (pX/sX column pairs): at most 1000" 1:
deu 2 500 >"$tmp/deu_i500.tsv"
deu 2 501 >"$tmp/deu_i501.tsv"
accept deu_i500.tsv deu
refuse deu_i501.tsv deu "more than 500 issues (lines): at most 500" 503:1
n=$((n + 1))

echo "ok: $n peer formats at and past their actor and issue limits"
