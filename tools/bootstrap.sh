#!/bin/sh
# Create the virtual environment and install the project with its test tools.
# Works on a fresh Debian/Ubuntu machine with only python3, make and apt.
set -e
PYTHON="${1:-python3}"
VENV="${2:-.venv}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更高版本（当前：$("$PYTHON" --version 2>&1)）" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "python3 -m venv 不可用，尝试安装 python3-venv …" >&2
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "python${ver}-venv" || $SUDO apt-get install -y -qq python3-venv
  else
    echo "请先安装 Python 的 venv 模块（Debian/Ubuntu：apt-get install python3-venv）" >&2
    exit 1
  fi
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$VENV/bin/python" -m pip install -q -e '.[test]'
