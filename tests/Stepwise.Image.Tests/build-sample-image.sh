#!/usr/bin/env bash
# Builds the e-commerce sample's runner image on this machine, the way a team builds theirs, without a container engine
# or a registry: the Native AOT publish of samples/ECommerce.Migrations, a minimal base made here (FROM scratch plus what
# the executable needs: the C library, OpenSSL and CA certificates for TLS, a user 10001 and /tmp), then the project's
# own Containerfile with that base as BASE. Daemonless buildah, storage in the given folder (removed by the caller).
#
#   bash tests/Stepwise.Image.Tests/build-sample-image.sh <work folder>
set -euo pipefail
work=${1:?usage: build-sample-image.sh <work folder>}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
buildah=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)
image=localhost/ecommerce-migrations:test
base=localhost/stepwise-runtime-deps:local

echo "publishing samples/ECommerce.Migrations with Native AOT..."
dotnet publish "$root/samples/ECommerce.Migrations" -c Release -r linux-x64 -p:PublishAot=true -o "$work/publish" -nologo -v q

echo "making the base image $base..."
rootfs="$work/rootfs"
mkdir -p "$rootfs/tmp" "$rootfs/etc/ssl/certs" "$rootfs/app"
chmod 1777 "$rootfs/tmp"
# What the executable links against, and what .NET loads on its own for TLS (OpenSSL).
libraries=$(ldd "$work/publish/ECommerce.Migrations" | grep -oE '/[^ ]+\.so[^ ]*')
libraries+=" $(ldconfig -p | grep -oE '/[^ ]+/lib(ssl|crypto)\.so\.3$' | sort -u | tr '\n' ' ')"
for library in $libraries; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nrunner:x:10001:10001:runner:/app:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nrunner:x:10001:\n' > "$rootfs/etc/group"
container=$("${buildah[@]}" from scratch)
"${buildah[@]}" copy "$container" "$rootfs/" / > /dev/null
"${buildah[@]}" commit -q "$container" "$base" > /dev/null
"${buildah[@]}" rm "$container" > /dev/null

echo "building $image from samples/ECommerce.Migrations/Containerfile..."
"${buildah[@]}" bud --quiet --isolation chroot --build-arg "BASE=$base" \
  -f "$root/samples/ECommerce.Migrations/Containerfile" -t "$image" "$work/publish" > /dev/null
echo "image $image: $("${buildah[@]}" images --format '{{.Size}}' "$image") (base $("${buildah[@]}" images --format '{{.Size}}' "$base"))"
