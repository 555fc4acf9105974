#!/usr/bin/env bash
# Builds one of the e-commerce sample's runner images on this machine, the way a team builds theirs, without a container
# engine or a registry: the publish of the migrations project, a minimal base made here (FROM scratch plus what the
# runner needs: the C library and the libraries the executable or its runtime load, OpenSSL and CA certificates for TLS,
# a user 10001 and /tmp), then the project's own Containerfile with that base as BASE. Daemonless buildah, storage in
# the given folder (removed by the caller).
#
#   bash tests/Stepwise.Image.Tests/build-sample-image.sh <work folder> [postgresql|mongodb]
#
# postgresql: samples/ECommerce.Migrations, published with Native AOT (one native executable).
# mongodb: samples/ECommerce.Documents.Migrations, published self-contained with ReadyToRun (the MongoDB driver does not
# support Native AOT), as its Containerfile says.
set -euo pipefail
work=${1:?usage: build-sample-image.sh <work folder> [postgresql|mongodb]}
engine=${2:-postgresql}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
buildah=(buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs)
base=localhost/stepwise-runtime-deps:local

case "$engine" in
  postgresql)
    sample=ECommerce.Migrations
    image=localhost/ecommerce-migrations:test
    echo "publishing samples/$sample with Native AOT..."
    dotnet publish "$root/samples/$sample" -c Release -r linux-x64 -p:PublishAot=true -o "$work/publish" -nologo -v q
    ;;
  mongodb)
    sample=ECommerce.Documents.Migrations
    image=localhost/ecommerce-documents-migrations:test
    echo "publishing samples/$sample self-contained with ReadyToRun..."
    dotnet publish "$root/samples/$sample" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o "$work/publish" -nologo -v q
    ;;
  *)
    echo "unknown engine '$engine': postgresql or mongodb" >&2
    exit 2
    ;;
esac

echo "making the base image $base..."
rootfs="$work/rootfs"
mkdir -p "$rootfs/tmp" "$rootfs/etc/ssl/certs" "$rootfs/app"
chmod 1777 "$rootfs/tmp"
# What the executable and the runtime's own libraries link against, and what .NET loads on its own for TLS (OpenSSL).
libraries=$(for binary in "$work/publish/$sample" "$work/publish"/*.so; do
  if [ -e "$binary" ]; then ldd "$binary" | grep -oE '/[^ ]+\.so[^ ]*'; fi
done | sort -u | tr '\n' ' ')
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

echo "building $image from samples/$sample/Containerfile..."
"${buildah[@]}" bud --quiet --isolation chroot --build-arg "BASE=$base" \
  -f "$root/samples/$sample/Containerfile" -t "$image" "$work/publish" > /dev/null
echo "image $image: $("${buildah[@]}" images --format '{{.Size}}' "$image") (base $("${buildah[@]}" images --format '{{.Size}}' "$base"))"
