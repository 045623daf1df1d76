#!/bin/bash
# Second call on the GPU machine (after bench/gpu/stage.sh): the CUDA figures of docs/results/benchmark-h200.md.
#  1. ID-SPAM training and exported inference, MiniLM-L6 shape, batch 32/128/512, with GPU utilisation
#     sampled every 200 ms (util.csv; every output line carries a timestamp to match it against);
#  2. the prefix cache on CUDA: `train` with --prefix-cache off and memory, same artifacts and seed:
#     per-epoch losses must agree, epoch times give the speed-up;
#  3. the BERT-base shape, m = 6, batch 128.
# Each step has its own time limit so that a slow one cannot starve the rest.
STAGE=${STAGE:-/root/idspam-gpu}; OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
unxz_to() { if command -v xz >/dev/null; then xz -dc "$1"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi; }
[ -d "$STAGE/lib" ] || unxz_to .gpu/b/lib.tar.xz | tar xf - -C "$STAGE"
CP=$(ls "$STAGE"/lib/*.jar | tr '\n' ':')$STAGE/cuda-provider.jar${EXTRA_CP:+:$EXTRA_CP}
DEV=${DEVICE:-cuda}; PCT=${TIME_PCT:-100}
export LD_LIBRARY_PATH=$(xargs -n1 dirname < "$STAGE/cuda-libs.txt" | sort -u | tr '\n' ':')${LD_LIBRARY_PATH:-}
J=("$STAGE/jre/bin/java" -Xmx64g --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED -cp "$CP" dev.idspam.tools.Main)
nvidia-smi --query-gpu=timestamp,utilization.gpu,utilization.memory,memory.used --format=csv,noheader -lms 200 > "$OUT/util.csv" 2>&1 &
stamp() { while IFS= read -r l; do printf '%s %s\n' "$(date +%s.%N)" "$l"; done; }
step() { local limit=$(( $1 * PCT / 100 )) name=$2; shift 2; echo "== $name $(date +%s.%N)"; timeout "$limit" "${J[@]}" "$@" 2>&1 | stamp; echo "== end $name rc=${PIPESTATUS[0]} $(date +%s.%N)"; }
M=$STAGE/rand-minilm; B=$STAGE/rand-bert-base
{
  for bs in ${SWEEP:-32 128 512}; do
    lim=80; [ $bs = 512 ] && lim=100
    step $lim "minilm-b$bs" benchmark --device $DEV --backbone "$M" --methods idspam --layer 3 --batch-size $bs \
        --seq-len 128 --repetitions 3 --warmup 1 --work /tmp/bench-m$bs
  done
  step 30 gen-cache generate --backbone "$M" --method idspam --layer 3 --task sst2 --out /tmp/art-off
  cp -r /tmp/art-off /tmp/art-mem
  for mode in off memory; do
    a=/tmp/art-off; [ $mode = memory ] && a=/tmp/art-mem
    step 60 "train-cache-$mode" train --artifacts $a --device $DEV --epochs 3 --batch-size 32 \
        --max-train-samples ${CACHE_SAMPLES:-16000} --seed 1 --prefix-cache $mode
  done
  for bs in 128; do
    step 80 "bert-base-b$bs" benchmark --device $DEV --backbone "$B" --methods idspam --layer 6 --batch-size $bs \
        --seq-len 128 --repetitions 3 --warmup 1 --work /tmp/bench-b$bs
  done
  nvidia-smi
} 2>&1 | tee "$OUT/run.txt"
kill %1 2>/dev/null
