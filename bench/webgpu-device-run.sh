#!/usr/bin/env bash
# Copied as run.sh into the folder bench/webgpu-device-pack.sh makes; runs on a GPU machine without
# Node.js: unpacks Node + Dawn and the Vulkan loader, then bench.cjs (wasm, then webgpu), and writes
# what it reports to $OUT. LP_SKIP_DEBS=1 keeps / untouched and LP_ICD names another Vulkan driver
# (a dry run elsewhere).
set -u
cd "$(dirname "$0")"
start=$(date +%s)
if [ "${LP_SKIP_DEBS:-0}" != 1 ]; then
  for f in debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
mkdir -p /tmp/g /tmp/xdg && chmod 700 /tmp/xdg
python3 -c "import tarfile; tarfile.open('bin.tar.xz').extractall('/tmp/g')"
icd="${LP_ICD:-}"
[ -z "$icd" ] && for c in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$c" ] && icd=$c && break
done
[ -z "$icd" ] && icd=$(find / -xdev -name 'nvidia_icd*.json' 2>/dev/null | head -1)
{
  echo "unpacked in $(( $(date +%s) - start )) s; ICD: ${icd:-none}"
  [ -n "$icd" ] && cat "$icd"
  nvidia-smi -L
  ldconfig -p | grep -E 'libvulkan|libGLX_nvidia|libGLdispatch' 
  /tmp/g/node --version
} > "$OUT/env.txt" 2>&1
export VK_DRIVER_FILES="$icd" XDG_RUNTIME_DIR=/tmp/xdg LP_GPU_DIR=. LP_GPU_BIN=/tmp/g
export LP_GPU_OUT="$OUT/partial.json" LP_GPU_BUDGET_MS=${LP_GPU_BUDGET_MS:-170000}
timeout 260 /tmp/g/node bench.cjs > "$OUT/result.json" 2> "$OUT/log.txt"
echo "bench rc=$? after $(( $(date +%s) - start )) s" >> "$OUT/env.txt"
cat "$OUT/env.txt"; grep '^\[' "$OUT/log.txt"; tail -5 "$OUT/log.txt"
