#!/usr/bin/env bash
# Are pyproject's dependency bounds true? Runs the README's test command, `make test`, in a fresh
# copy of this working tree (uncommitted changes included, no .venv) for each configuration:
#
#   lowest   the oldest Python (3.10) with every run-time dependency at its lower bound
#            (numpy, matplotlib, scipy, polib pinned to their floors through a pip constraints file),
#            the course extras as pip resolves them against those
#   floors   the same, with the course extras at their lower bounds too
#   newest   the newest Python with the newest release of everything (what pip picks today)
#
# Measured 2026-12-02 on 2 busy cores: lowest 867 s (tests 580 s), newest 481 s (tests 353 s); on
# lowest and floors only chapter 02 cell 14 and chapter 06 cell 17 failed (the kernel-fragile runs).
#
# Usage:  tools/check_bounds.sh [lowest|floors|newest ...]    (default: lowest newest)
#         PY_OLDEST=/path/to/python3.10 PY_NEWEST=/path/to/python3.13 tools/check_bounds.sh
# Each configuration installs its own environment (a few minutes with downloads) and runs the whole
# suite (about 2 minutes on 2 idle cores); CI does not run this. Copies stay in $BOUNDS_DIR
# (default: a new folder under /tmp) with one log per configuration.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The first of the candidates that runs (a pyenv shim may exist and refuse to).
first_python() {
    for candidate in "$@"; do
        if "$candidate" --version > /dev/null 2>&1; then echo "$candidate"; return; fi
    done
    echo "none of these Pythons runs: $*" >&2
    exit 2
}
# pyenv's installed versions too, wherever pyenv keeps them (its shims may refuse a version not selected).
PYENV_VERSIONS="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")/versions"
PY_OLDEST="${PY_OLDEST:-$(first_python python3.10 "$PYENV_VERSIONS"/3.10.*/bin/python3.10)}"
PY_NEWEST="${PY_NEWEST:-$(first_python python3.13 "$PYENV_VERSIONS"/3.13.*/bin/python3.13)}"
BOUNDS_DIR="${BOUNDS_DIR:-$(mktemp -d /tmp/dlbook-bounds.XXXXXX)}"
CONFIGS=("$@")
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=(lowest newest)

# "name==floor" for each ">=" bound of the run-time dependencies, or of the course extras too.
floors() {
    "$PY_NEWEST" - "$ROOT/pyproject.toml" "$1" <<'EOF'
import re, sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
requirements = list(project["dependencies"])
if sys.argv[2] == "floors":
    requirements += project["optional-dependencies"]["course"]
for requirement in requirements:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", requirement)
    if not match:
        sys.exit(f"not a plain 'name>=version' bound: {requirement!r}")
    print(f"{match[1]}=={match[2]}")
EOF
}

status=0
for config in "${CONFIGS[@]}"; do
    case "$config" in
        lowest|floors) python="$PY_OLDEST" ;;
        newest) python="$PY_NEWEST" ;;
        *) echo "unknown configuration: $config (lowest, floors or newest)" >&2; exit 2 ;;
    esac
    copy="$BOUNDS_DIR/$config"
    rm -rf "$copy" && mkdir -p "$copy"
    # The tracked and new files of this working tree, as they are now.
    (cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$copy"
    constraints=/dev/null
    if [ "$config" != newest ]; then
        constraints="$BOUNDS_DIR/$config-constraints.txt"
        floors "$config" > "$constraints"
    fi
    log="$BOUNDS_DIR/$config.log"
    echo "== $config: $("$python" --version), constraints: $(tr '\n' ' ' < "$constraints")"
    start=$(date +%s)
    # PIP_CONSTRAINT reaches every pip call of `make test`'s set-up.
    if PIP_CONSTRAINT="$constraints" make -C "$copy" test PYTHON="$python" > "$log" 2>&1; then
        result=passed
    else
        result=FAILED
        status=1
    fi
    "$copy/.venv/bin/python" -m pip list 2>/dev/null \
        | grep -iE '^(numpy|matplotlib|scipy|polib|pyparsing|jupyterlab|ipykernel|nbclient|nbformat|nbconvert|pygments|nbval|pytest|hypothesis|threadpoolctl) ' \
        | awk '{printf "%s %s, ", $1, $2} END {print ""}' || true
    summary=$(grep -E '[0-9]+ (passed|failed|errors?)' "$log" | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')
    echo "   $result in $(( $(date +%s) - start )) s, set-up included (pytest: ${summary:-no summary})"
    echo "   log: $log"
done
exit $status
