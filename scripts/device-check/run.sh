#!/usr/bin/env bash
# The device check, both halves, in one run (needs only this repo's working tree and the bundle
# from `npm run device-check:prepare`; no npm, no node_modules, no network):
#
#   bash scripts/device-check/run.sh <bundle dir>          results in $OUT, else <bundle>/results
#
# Node half: unpacks Node, dawn.node and the bundled CLI/bench, finds a Vulkan driver, and runs on
# webgpu: the engine self-test, the prepared log-probabilities recomputed, LoRA steps at the
# GPT-2-124M and SmolLM2-135M shapes (tokens/s, first step, dispatches/step, GFLOP/s) and
# `cli train --backend webgpu` on the shipped GPT-2 and on the bundle's Llama base.
# Python half: check.py (transformers + PEFT vs the engine's numbers), skipped when torch is absent.
# Order: the two halves' essentials first (Python check, GPU bench), then the extra Node checks;
# each Node step has its own time limit so that a whole run stays under 10 minutes.
# Knobs: STEPS (real-size steps, default 12), CLI_STEPS / CLI_BATCH / CLI_SEQ (default 30, 16, 32),
# CHECK_TIMEOUT (seconds, overrides every step's limit: for slow software GPUs).
set -uo pipefail
BUNDLE="$(cd "${1:?usage: run.sh <bundle dir>}" && pwd)"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${OUT:-$BUNDLE/results}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
export OUT
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lowrank-device.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
START=$(date +%s)
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }

unxz_to() { # <src.xz> <dest>: xz if present, else Python's lzma
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" >"$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' "$1" "$2"; fi
}

say "== lowrank device check: $(date -u +%FT%TZ) on $(hostname), bundle $BUNDLE"
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>&1 | tee -a "$SUMMARY"

# ---- Python half -------------------------------------------------------------------------------
cd "$REPO" || exit 1
timeout "${CHECK_TIMEOUT:-120}" python3 scripts/device-check/check.py "$BUNDLE" "$OUT" 2>&1 | tee "$OUT/python-check.log" | grep -v '^$'
py_rc=${PIPESTATUS[0]}
grep -h '^Python part skipped\|^PASSED\|^FAILED' "$OUT/python-check.log" >>"$SUMMARY"
say "python check: exit $py_rc"

# ---- Node half ---------------------------------------------------------------------------------
node_ok=1
for f in node dawn.node device.mjs; do
  if [ -f "$BUNDLE/node/$f.xz" ]; then unxz_to "$BUNDLE/node/$f.xz" "$WORK/$f" || node_ok=0; else node_ok=0; fi
done
cp "$BUNDLE"/node/*.wasm "$WORK/" 2>/dev/null || true
if [ "$node_ok" = 1 ]; then
  chmod +x "$WORK/node"
  export LOWRANK_DAWN_NODE="$WORK/dawn.node"
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$WORK}"
  # The Vulkan loader: the system's, else the one the bundle brings.
  if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
    if [ -f "$BUNDLE/node/libvulkan.so.1" ]; then
      cp "$BUNDLE/node/libvulkan.so.1" "$WORK/" && export LD_LIBRARY_PATH="$WORK${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      say "vulkan loader: none installed; using the bundle's libvulkan.so.1"
    fi
  fi
  # NVIDIA's Vulkan driver lives in libGLX_nvidia.so.0; containers without the "graphics" capability
  # lack it and its ICD file. With the library but no ICD file, write one.
  icds="$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null | tr '\n' ' ')"
  say "vulkan ICD files: ${icds:-none}"
  if [ -z "${VK_ICD_FILENAMES:-}" ] && ! echo "$icds" | grep -qi nvidia; then
    glx="$(ldconfig -p 2>/dev/null | awk '/libGLX_nvidia\.so\.0/ {print $NF; exit}')"
    if [ -n "$glx" ]; then
      printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" >"$WORK/nvidia_icd.json"
      export VK_ICD_FILENAMES="$WORK/nvidia_icd.json"
      say "vulkan: wrote an ICD file for $glx"
    elif command -v nvidia-smi >/dev/null 2>&1; then
      say "vulkan: no NVIDIA Vulkan driver (libGLX_nvidia.so.0 is absent: a container needs NVIDIA_DRIVER_CAPABILITIES to include graphics)"
    fi
  fi
  NODE=("$WORK/node" "$WORK/device.mjs")
  say "node: $("$WORK/node" --version), $(cat "$BUNDLE/node/VERSION" 2>/dev/null)"
  cd "$REPO" || exit 1
  run_node() { # <name> <seconds> <args…>: one step, logged, bounded in time
    local name="$1" limit="${CHECK_TIMEOUT:-$2}"
    shift 2
    local t0=$(date +%s)
    timeout "$limit" "${NODE[@]}" "$@" >"$OUT/$name.log" 2>&1
    local rc=$?
    grep -v '^$\|^====\|Hi, looks like\|tfjs-node for more' "$OUT/$name.log" | grep -v 'Vulkan shaderUniform\|While initializing adapter\|InitializeImpl' | tail -n 40
    say "node $name: exit $rc in $(($(date +%s) - t0)) s (log $OUT/$name.log)"
    return $rc
  }
  bench_args=(gpu-bench --json "$OUT/gpu-bench.json")
  [ -n "${STEPS:-}" ] && bench_args+=(--steps "$STEPS")
  run_node gpu-bench 270 "${bench_args[@]}"
  run_node selftest 45 selftest
  run_node engine-logprobs 60 logprobs "$BUNDLE"
  run_node cli-train 45 cli train --backend webgpu --base public/models/tiny --text public/data/names.train.txt \
    --out "$OUT/cli-adapter" --steps "${CLI_STEPS:-30}" --batch "${CLI_BATCH:-16}" --seq "${CLI_SEQ:-32}"
  run_node cli-train-llama 45 cli train --backend webgpu --base "$BUNDLE/families/llama-random/base" \
    --text public/data/names.train.txt --out "$OUT/cli-llama-adapter" --steps "${CLI_STEPS:-30}" \
    --batch "${CLI_BATCH:-16}" --seq "${CLI_SEQ:-32}"
  grep -h '^backend:\|^GPT-2-124M LoRA\|^SmolLM2-135M LoRA\|^self-test on\|^  [a-z0-9]*-[a-z]* .*: [0-9.e+-]* \(ok\|FAIL\)' \
    "$OUT"/selftest.log "$OUT"/engine-logprobs.log "$OUT"/gpu-bench.log "$OUT"/cli-train*.log 2>/dev/null | sort -u >>"$SUMMARY"
else
  say "node half skipped: $BUNDLE/node lacks node.xz, dawn.node.xz or device.mjs.xz (prepare with the Node half)"
fi

say "== done in $(($(date +%s) - START)) s; results in $OUT"
