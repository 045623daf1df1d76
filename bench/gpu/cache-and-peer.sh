#!/bin/bash
# A later call on the GPU machine (after bench/gpu/stage.sh), for docs/results/benchmark-h200.md:
#  1. the prefix cache on CUDA with TF32 off (NVIDIA_TF32_OVERRIDE=0, so both runs do full-float
#     products): `train` with --prefix-cache off and memory from the same artifacts and seed, whose
#     per-epoch losses must agree; then --prefix-cache auto, which must decline on CUDA;
#  2. the PyTorch peer on the GPU (bench/peer.py --device cuda, PyTorch of the machine's image) against
#     `idspam benchmark --device cuda` on the same dumped batches, 2 alternating rounds, batch 32 and 128,
#     with the weights of the adapter bundle exported from run 1.
STAGE=${STAGE:-/root/idspam-gpu}; OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
unxz_to() { if command -v xz >/dev/null; then xz -dc "$1"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi; }
[ -d "$STAGE/lib" ] || unxz_to .gpu/b/lib.tar.xz | tar xf - -C "$STAGE"
CP=$(ls "$STAGE"/lib/*.jar | tr '\n' ':')$STAGE/cuda-provider.jar
export LD_LIBRARY_PATH=$(xargs -n1 dirname < "$STAGE/cuda-libs.txt" | sort -u | tr '\n' ':')${LD_LIBRARY_PATH:-}
J=("$STAGE/jre/bin/java" -Xmx64g --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED -cp "$CP" dev.idspam.tools.Main)
stamp() { while IFS= read -r l; do printf '%s %s\n' "$(date +%s.%N)" "$l"; done; }
step() { local limit=$1 name=$2; shift 2; echo "== $name $(date +%s.%N)"; timeout "$limit" "${J[@]}" "$@" 2>&1 | grep -v '\[W:onnxruntime' | stamp; echo "== end $name rc=${PIPESTATUS[0]} $(date +%s.%N)"; }
M=$STAGE/rand-minilm
{
  step 30 gen generate --backbone "$M" --method idspam --layer 3 --task sst2 --out /tmp/art-off
  cp -r /tmp/art-off /tmp/art-off2; cp -r /tmp/art-off /tmp/art-memory; cp -r /tmp/art-off /tmp/art-auto
  # off twice: how far two identical CUDA runs drift apart (atomics in reductions), against off vs memory
  for run in off off2 memory; do
    NVIDIA_TF32_OVERRIDE=0 step 60 "train-tf32off-$run" train --artifacts /tmp/art-$run --device cuda --epochs 2 \
        --batch-size 32 --max-train-samples 8000 --seed 1 --prefix-cache ${run%2} --quiet
    sed -n '/## Epochs/,/^Method/p' /tmp/art-$run/report.md
  done
  step 40 "train-auto" train --artifacts /tmp/art-auto --device cuda --epochs 1 --batch-size 32 --max-train-samples 500 --seed 1
  step 40 export export --artifacts /tmp/art-off --out /tmp/models/sst2 --adapter
  W=$(ls /tmp/models/backbones/*.safetensors | head -1)
  for round in 1 2; do
    for bs in 32 128; do
      step 60 "java-b$bs-r$round" benchmark --device cuda --backbone "$M" --methods idspam --layer 3 --batch-size $bs \
          --seq-len 128 --repetitions 10 --warmup 3 --work /tmp/bench-$bs --dump-batches /tmp/dump-$bs
      echo "== peer-b$bs-r$round $(date +%s.%N)"
      timeout 60 python3 bench/peer.py run --weights "$W" --batches /tmp/dump-$bs --device cuda --threads 16 \
          --warmup 3 --repetitions 10 --out "$OUT/peer-b$bs-r$round.json" 2>&1 | stamp
    done
  done
  python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0))'
} 2>&1 | tee "$OUT/cache-and-peer.txt"
