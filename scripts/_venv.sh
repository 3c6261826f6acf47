# Shared set-up for scripts/demo and scripts/test: a .venv with footfall installed.
# Usage: source scripts/_venv.sh <extras>   (extras: "" or "dev")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
extras="${1:-}"
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
if [ -z "$python_bin" ]; then
  echo "footfall: Python 3.11+ is needed (python3.11 or python3 on PATH)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi
spec="."
[ -n "$extras" ] && spec=".[${extras}]"
# Reinstall only when pyproject.toml changed since the last install of these extras.
stamp=".venv/.footfall-installed-${extras:-base}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c "import footfall" 2>/dev/null; then
  echo "==> installing footfall ${extras:+with [$extras] }into .venv"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$spec"
  echo "$want" > "$stamp"
fi
