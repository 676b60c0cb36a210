#!/usr/bin/env bash
# A separate virtual environment with WEFE 1.0.1 for bench/debias_weat.py.
# WEFE pins numpy<=1.26.4 and scipy<1.13, which cannot live beside the project's numpy 2.4.
# Usage: bench/setup_wefe_venv.sh   (idempotent; WEFE_VENV overrides the location)
set -euo pipefail
WEFE_VENV="${WEFE_VENV:-$HOME/.cache/biaslab/wefe-venv}"
BASE="$(command -v python3.11 || command -v python3)"
if [ ! -x "$WEFE_VENV/bin/python" ]; then
  "$BASE" -m venv "$WEFE_VENV"
fi
if ! "$WEFE_VENV/bin/python" -c "import wefe" 2>/dev/null; then
  "$WEFE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    wefe==1.0.1 numpy==1.26.4 scipy==1.12.0 gensim==4.4.0 \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi
"$WEFE_VENV/bin/python" -c "import wefe, numpy, scipy, gensim; print('wefe', wefe.__version__, \
'numpy', numpy.__version__, 'scipy', scipy.__version__, 'gensim', gensim.__version__)"
