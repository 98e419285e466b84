#!/bin/sh
# Create the virtual environment and install exactly what requirements.lock says (versions and
# hashes), then the project itself. Works on a fresh Debian/Ubuntu machine with only python3, make
# and apt. The installer's own output goes to $VENV/install.log; the terminal gets our lines only.
set -e
PYTHON="${1:-python3}"
VENV="${2:-.venv}"
LOCK="${3:-requirements.lock}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更高版本（当前：$("$PYTHON" --version 2>&1)）" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "python3 -m venv 不可用，正在用 apt 安装 python3-venv …" >&2
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq "python${ver}-venv" >/dev/null 2>&1 \
      || $SUDO apt-get install -y -qq python3-venv >/dev/null
  else
    echo "请先安装 Python 的 venv 模块（Debian/Ubuntu：apt-get install python3-venv）" >&2
    exit 1
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "正在建立虚拟环境 $VENV …"
  "$PYTHON" -m venv "$VENV"
fi
LOG="$VENV/install.log"
: > "$LOG"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_NO_INPUT=1
fail() {
  echo "安装依赖失败（$1）。安装程序的输出在 $LOG，最后几行：" >&2
  tail -n 15 "$LOG" >&2
  exit 1
}
echo "正在按 $LOCK 安装依赖（锁定的版本和哈希）…"
# --require-hashes: every package and its exact file are those of the lock; --no-deps: nothing
# outside the lock is pulled in.
"$VENV/bin/python" -m pip install --require-hashes --no-deps -r "$LOCK" >>"$LOG" 2>&1 \
  || fail "pip install -r $LOCK"
# The project itself, built with the locked setuptools (no isolated build environment to download).
"$VENV/bin/python" -m pip install --no-deps --no-build-isolation -e . >>"$LOG" 2>&1 \
  || fail "pip install -e ."
"$VENV/bin/python" -m pip check >>"$LOG" 2>&1 || fail "pip check：依赖不完整"
echo "依赖已安装：$(grep -c '^[a-zA-Z]' "$LOCK") 个包，版本见 $LOCK。"
