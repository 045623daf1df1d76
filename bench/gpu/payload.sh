#!/bin/bash
# Builds the two halves of a slim GPU payload for a machine that receives at most ~64 MB per transfer:
#   .gpu/a: a Java runtime (jlink) and ONNX Runtime's CUDA provider with only sm_$SM code (one jar);
#   .gpu/b: the project's jars and their runtime dependencies, without other platforms' natives (the
#           CPU core stays: export and other CPU-side work of a GPU build install it).
# Usage: bench/gpu/payload.sh [SM]  (default 90: H100/H200). Needs a GPU build (IDSPAM_GPU=1 ./idspam ...).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd); sm=${1:-90}
cp_file=$root/tools/target/classpath-gpu.txt
[ -f "$cp_file" ] || { echo "no $cp_file: run IDSPAM_GPU=1 ./idspam params first" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
rm -rf "$root/.gpu"; mkdir -p "$root/.gpu/a" "$root/.gpu/b" "$work/lib" "$work/cuda"
gpu_dir=org/bytedeco/onnxruntime/linux-x86_64-gpu
for j in $(tr ':' '\n' < "$cp_file") "$root"/{datasets,graphs,runtime,eval,pipeline,serving,server,tools}/target/idspam-*-SNAPSHOT.jar; do
  b=$(basename "$j")
  d=$work/x; rm -rf "$d"; mkdir -p "$d"; (cd "$d" && unzip -q -o "$j")
  find "$d" \( -path '*aarch64*' -o -path '*osx*' -o -path '*win-x*' -o -path '*win32*' -o -path '*macos*' \
       -o -name '*.dll' -o -name '*.dylib' -o -path '*ppc64*' -o -path '*s390*' \) -prune -exec rm -rf {} +
  case $b in *linux-x86_64-gpu.jar)
    rm -f "$d/$gpu_dir/libonnxruntime_providers_dnnl.so" "$d/$gpu_dir/libjnionnxruntime.so"
    strip --strip-unneeded "$d/$gpu_dir/libonnxruntime.so.1"
    mkdir -p "$work/cuda/$gpu_dir"
    python3 "$root/bench/gpu/fatbin_keep_arch.py" "$d/$gpu_dir/libonnxruntime_providers_cuda.so" \
        "$work/cuda/$gpu_dir/libonnxruntime_providers_cuda.so" "$sm"
    strip --strip-unneeded "$work/cuda/$gpu_dir/libonnxruntime_providers_cuda.so"
    rm "$d/$gpu_dir/libonnxruntime_providers_cuda.so"
    (cd "$work/cuda" && zip -q -0 -r -X "$work/cuda-provider-sm$sm.jar" .) ;;
  esac
  (cd "$d" && zip -q -0 -r -X "$work/lib/$b" .)   # stored: xz compresses the whole tar better
done
(cd "$work" && tar cf - lib | xz -T0 -6 > "$root/.gpu/b/lib.tar.xz")
xz -T0 -6 -c "$work/cuda-provider-sm$sm.jar" > "$root/.gpu/a/cuda-provider.jar.xz"
jlink --add-modules java.base,java.logging,java.management,java.sql,java.naming,java.net.http,jdk.unsupported,jdk.zipfs,jdk.incubator.foreign,jdk.crypto.ec \
      --strip-debug --no-header-files --no-man-pages --compress=0 --output "$work/jre" 2>/dev/null
strip --strip-unneeded "$work/jre/lib/server/libjvm.so"
(cd "$work" && tar cf - jre | xz -T0 -6 > "$root/.gpu/a/jre.tar.xz")
du -b "$root"/.gpu/a/* "$root"/.gpu/b/*
