#!/usr/bin/env bash
# biaslab's one entry point. Every mode first sets up (idempotently, reusing what exists):
#   ./run.sh dashboard        set up, fetch the default data, start the dashboard
#   ./run.sh test [ARGS]      set up (data + headless Chromium), run the whole test suite
#   ./run.sh setup            only set up
#   ./run.sh cli ARGS         run `python -m rnncore ARGS` in the project's environment
# BIASLAB_VENV chooses the virtual environment (default ~/.cache/biaslab/venv);
# RNNCORE_HOME chooses the data cache (default ~/.cache/rnncore).
set -euo pipefail
cd "$(dirname "$0")"
VENV="${BIASLAB_VENV:-$HOME/.cache/biaslab/venv}"
PY="$VENV/bin/python"

say() { printf '\033[1;35m[biaslab]\033[0m %s\n' "$*" >&2; }

setup_python() {
  if [ ! -x "$PY" ]; then
    local base
    base="$(command -v python3.11 || command -v python3)"
    say "creating virtual environment $VENV with $($base --version)"
    mkdir -p "$(dirname "$VENV")"
    "$base" -m venv "$VENV"
  fi
  local stamp="$VENV/.biaslab-requirements.sha256" want
  want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    say "installing Python packages (requirements-dev.txt)"
    # --retries 1: a machine that cannot reach PyTorch's CPU wheel page (requirements.txt) would
    # otherwise retry it with back-off for every package (about 7 minutes instead of 1).
    "$PY" -m pip install --quiet --disable-pip-version-check --retries 1 -r requirements-dev.txt \
      2> >(grep -v -e 'is ignored: it is neither a file nor a directory' \
                   -e 'Retrying (Retry(total=0.*/whl/cpu/torch/$' >&2)
    echo "$want" > "$stamp"
  fi
}

setup_data() {
  "$PY" -m rnncore fetch "$@"
}

setup_browser() {
  if [ -x /usr/bin/chromium ]; then return; fi
  say "installing Debian's chromium for the browser tests"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

mode="${1:-dashboard}"
[ $# -gt 0 ] && shift
case "$mode" in
  setup)
    setup_python; setup_data --without-glove ;;
  dashboard)
    setup_python; setup_data --without-glove
    say "starting the dashboard"
    exec "$PY" -m streamlit run dashboard/app.py "$@" ;;
  test)
    setup_python; setup_data; setup_browser
    # one pytest worker per core (pytest-xdist): the browser and install tests mostly wait
    exec "$PY" -m pytest -n "${BIASLAB_TEST_WORKERS:-auto}" "$@" ;;
  cli)
    setup_python
    exec "$PY" -m rnncore "$@" ;;
  *)
    echo "usage: ./run.sh [dashboard|test|setup|cli] [ARGS...]" >&2; exit 2 ;;
esac
