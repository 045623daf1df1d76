#!/usr/bin/env bash
# Side-by-side benchmark: `idspam benchmark` (Java, ONNX Runtime) against a plain PyTorch implementation
# of the same model (bench/peer.py), in alternating rounds on the same batches. See bench/README.md.
# Not part of `mvn test`. Installs Debian's PyTorch (and OpenBLAS) when missing, which needs root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
out="$root/bench/results.md"
work="$root/runs/pytorch-peer"
artifacts=""
threads=2
verify=1
install=1
openblas=1
py=/usr/bin/python3

usage() {
  cat <<EOF
usage: bench/pytorch-peer.sh [options]
  --rounds R         alternating rounds: Java benchmark once, then the PyTorch peer once (default $rounds)
  --out FILE         Markdown results (default bench/results.md)
  --work DIR         work folder: weights, dumped batches, per-round outputs (default runs/pytorch-peer)
  --artifacts DIR    trained ID-SPAM artifacts to export the weights from (default runs/demo/artifacts;
                     when missing, a short demo run makes them in the work folder)
  --threads N        threads of both sides (default $threads)
  --no-verify        skip the check of the PyTorch model against the Java side
  --no-install       never call apt-get (fail when PyTorch is missing)
  --reference-blas   keep whatever BLAS libblas.so.3 is (Debian's default is the slow reference BLAS)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --no-verify) verify=0; shift ;;
    --no-install) install=0; shift ;;
    --reference-blas) openblas=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "pytorch-peer: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "pytorch-peer: --rounds must be a whole number >= 1" >&2; exit 2 ;; esac
case "$threads" in ''|*[!0-9]*|0) echo "pytorch-peer: --threads must be a whole number >= 1" >&2; exit 2 ;; esac
mkdir -p "$work"
work="$(cd "$work" && pwd)"
say() { echo "pytorch-peer: $*" >&2; }

# ---- PyTorch from Debian (the default python3 on PATH may be another Python without it)
apt_install() {
  if [ "$install" = 0 ]; then
    say "missing: $*; install it (apt-get install -y $*) or drop --no-install"; exit 3
  fi
  if [ "$(id -u)" != 0 ]; then
    say "missing: $*; installing needs root: sudo apt-get install -y $*"; exit 3
  fi
  say "installing $* (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >&2
}
if ! "$py" -c 'import torch, numpy' 2>/dev/null; then
  apt_install python3-torch python3-numpy
fi
# Debian's torch takes its BLAS from libblas.so.3, by default the unoptimised reference BLAS, which
# makes every matrix product many times slower; OpenBLAS (OpenMP build: one thread pool with torch's)
# takes over libblas.so.3 through update-alternatives once installed.
blas_lib() {
  local p
  p="$(ldconfig -p | awk '/libblas\.so\.3 / && !found {print $NF; found = 1}')"
  [ -n "$p" ] && readlink -f "$p" || echo "unknown"
}
if [ "$openblas" = 1 ] && ! blas_lib | grep -qiE 'openblas|blis|mkl'; then
  apt_install libopenblas0-openmp
fi
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"

# ---- the project's build and the frozen MiniLM weights (its own safetensors export)
cd "$root"
./idspam --version >/dev/null
models="$work/models"
bundle="$models/sst2"
if ! ls "$models"/backbones/*.safetensors >/dev/null 2>&1 || [ ! -f "$bundle/adapter.safetensors" ]; then
  if [ -z "$artifacts" ]; then
    artifacts="$root/runs/demo/artifacts"
    if [ ! -f "$artifacts/best.ckpt" ]; then
      artifacts="$work/demo/artifacts"
      if [ ! -f "$artifacts/best.ckpt" ]; then
        say "training a short demo for the weights (./idspam demo --epochs 1 --max-train-samples 500)"
        ./idspam demo --epochs 1 --max-train-samples 500 --out "$work/demo" --threads "$threads" >&2
      fi
    fi
  fi
  say "exporting the adapter bundle and the frozen backbone from $artifacts"
  rm -rf "$bundle"
  ./idspam export --artifacts "$artifacts" --out "$bundle" --adapter >&2
fi
weights="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["backbone_weights"]["file"])' "$bundle/bundle.json" \
  2>/dev/null || true)"
weights="$models/backbones/${weights:-missing}"
if [ ! -f "$weights" ]; then
  weights="$(ls "$models"/backbones/*.safetensors | head -n 1)"
fi
cp="$root/tools/target/classes:$(cat "$root/tools/target/classpath-cpu.txt")"

# ---- the PyTorch model against the Java side: backbone hidden states and trained logits
if [ "$verify" = 1 ]; then
  say "checking the PyTorch model against the project (bench/PeerCheck.java, peer.py verify)"
  rm -rf "$work/check"
  java -cp "$cp" "$root/bench/PeerCheck.java" "$bundle" "$work/check" \
    "a gorgeous , witty , seductive movie ." \
    "it 's a bad sign when you 're rooting for the film to end ." \
    "the acting , costumes , music , cinematography and sound are all astounding given the production 's austere locales ." \
    "unflinchingly bleak and desperate" >&2
  "$py" "$root/bench/peer.py" verify --check "$work/check" --weights "$weights" \
    --adapter "$bundle/adapter.safetensors" --threads "$threads" | tee "$work/verify.txt" \
    || { say "the PyTorch model does not match the project's (see above); no timing"; exit 1; }
fi

# ---- the machine and the versions
machine="$work/machine.txt"
{
  echo "date:       $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:     $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with changes)')"
  echo "cpu:        $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
  echo "nproc:      $(nproc)"
  echo "memory:     $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "os:         $( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null), kernel $(uname -r)"
  echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the rounds"
  echo "java:       $(java -version 2>&1 | head -n 1)"
  echo "idspam:     $(./idspam --version)"
  echo "onnxruntime: $(tr ':' '\n' < "$root/tools/target/classpath-cpu.txt" | sed -n 's|.*/onnxruntime-\([0-9.]*\)\.jar$|\1|p' | head -n 1)"
  "$py" - <<'EOF'
import platform, numpy, torch
print(f"python:     {platform.python_version()} (/usr/bin/python3)")
print(f"torch:      {torch.__version__} (Debian python3-torch)")
print(f"numpy:      {numpy.__version__}")
EOF
  echo "packages:   $(dpkg-query -W -f='${Package} ${Version}, ' python3-torch python3-numpy libopenblas0-openmp 2>/dev/null | sed 's/, $//')"
  echo "blas:       $(blas_lib) (libblas.so.3)"
  echo "threads:    $threads (idspam --threads, torch.set_num_threads, OMP_NUM_THREADS)"
  echo "rounds:     $rounds"
} > "$machine"
cat "$machine" >&2

# ---- alternating rounds on the same batches
java_outs=()
peer_outs=()
for r in $(seq 1 "$rounds"); do
  say "round $r/$rounds: idspam benchmark"
  ./idspam benchmark --methods idspam --repetitions 1 --warmup 1 --threads "$threads" --work "$work/java" \
    --dump-batches "$work/batches" > "$work/round-$r-java.txt" 2> "$work/round-$r-java.err"
  java_outs+=("$work/round-$r-java.txt")
  say "round $r/$rounds: PyTorch peer"
  "$py" "$root/bench/peer.py" run --batches "$work/batches" --weights "$weights" --warmup 1 --repetitions 1 \
    --threads "$threads" --out "$work/round-$r-peer.json" > "$work/round-$r-peer.txt"
  peer_outs+=("$work/round-$r-peer.json")
done
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) after the rounds" >> "$machine"

"$py" "$root/bench/peer.py" report --java "${java_outs[@]}" --peer "${peer_outs[@]}" --machine "$machine" --out "$out"
