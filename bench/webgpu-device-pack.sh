#!/usr/bin/env bash
# Packs bench/webgpu-device.ts into one folder that runs on a machine with a GPU and no Node.js:
# a stripped Node binary and dawn.node (xz, unpacked there with Python's lzma), the bench bundled
# with esbuild (tfjs and both backends inside), the .wasm binaries, the backbone, the photos as
# raw 256x256 norm images, and Debian's Vulkan loader (+ GLVND, which NVIDIA's ICD needs).
# Usage: bench/webgpu-device-pack.sh <out-dir> [photo-folder]   (keep <out-dir> under ~60 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?output folder}
photos=${2:-../shared/fixtures/outside-street/photos}
shared=${LITTLEPLANET_SHARED:-../shared}
mkdir -p "$out/wasm" "$out/debs"
npx esbuild bench/webgpu-device.ts --bundle --platform=node --format=cjs --target=node20 \
  --outfile="$out/bench.cjs" --log-level=warning
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/wasm/"
cp "$shared/models/mobilenet_v2_1.0_224_quant.tflite" "$out/"
strip -o "$out/node" "$(command -v node)"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$out/dawn.node"
tar -C "$out" -cJf "$out/bin.tar.xz" node dawn.node
rm "$out/node" "$out/dawn.node"
node -e '
  const sharp = require("sharp"); const fs = require("fs"); const path = require("path");
  const [dir, file] = process.argv.slice(1);
  const names = fs.readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort();
  (async () => {
    const parts = [];
    for (const f of names) parts.push(await sharp(path.join(dir, f)).rotate()
      .resize(256, 256, { fit: "cover" }).removeAlpha().raw().toBuffer());
    fs.writeFileSync(file, Buffer.concat(parts));
    console.log(`${names.length} photos -> ${file}`);
  })();
' "$photos" "$out/photos.u8"
opts='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64'
(cd "$out/debs" && apt-get $opts download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 >/dev/null)
cp bench/webgpu-device-run.sh "$out/run.sh"
du -sh "$out"
