#!/bin/bash
# First call on the GPU machine: unpacks .gpu/a (Java runtime, CUDA provider) into $STAGE, writes the
# random-weight backbones the speed runs use (MiniLM-L6 and BERT-base shapes) and records the machine.
# The second call (bench/gpu/run.sh) brings .gpu/b while the machine is still warm.
STAGE=${STAGE:-/root/idspam-gpu}; OUT=${OUT:-/tmp/out}
mkdir -p "$STAGE" "$OUT"
unxz_to() { if command -v xz >/dev/null; then xz -dc "$1"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi; }
{
  date -u; nvidia-smi; command -v java && java -version 2>&1
  unxz_to .gpu/a/jre.tar.xz | tar xf - -C "$STAGE"
  unxz_to .gpu/a/cuda-provider.jar.xz > "$STAGE/cuda-provider.jar"
  "$STAGE/jre/bin/java" -version 2>&1
  python3 bench/gpu/random_bert.py "$STAGE/rand-minilm" 6 384 12 1536 .gpu/a/tokenizer.json
  python3 bench/gpu/random_bert.py "$STAGE/rand-bert-base" 12 768 12 3072 .gpu/a/tokenizer.json
  for so in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcufft.so.12 libcudnn.so.9; do
    find / -xdev -name "$so" 2>/dev/null | head -2
  done | tee "$STAGE/cuda-libs.txt"
  nproc; free -g; df -h /root | tail -1; ls -la "$STAGE"; date -u
} 2>&1 | tee "$OUT/stage.txt"
