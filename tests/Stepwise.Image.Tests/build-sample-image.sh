#!/usr/bin/env bash
# Builds one of the e-commerce sample's runner images on this machine, the way a team builds theirs, without a container
# engine or a registry: the publish of the migrations project, a Debian base made here with debootstrap (what the
# Containerfile's default debian:bookworm-slim holds), then the project's own Containerfile, RUN included, with that
# base as BASE. Daemonless buildah, storage in the given folder (removed by the caller); the RUN needs Debian's package
# mirror.
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
base=localhost/debian-bookworm-minbase:local

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

# The base: the Debian system debian:bookworm-slim is made from (debootstrap's minbase), without a registry. Like that
# image it has neither OpenSSL nor CA certificates, so the Containerfile's own RUN must install them for the runner to
# log in at all. Made once per machine and kept (it does not change): STEPWISE_IMAGE_CACHE, or ~/.cache/stepwise.
cache=${STEPWISE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stepwise}
tarball="$cache/debian-bookworm-minbase.tar"
if [ ! -s "$tarball" ]; then
  echo "making Debian bookworm (minbase) with debootstrap..."
  mkdir -p "$cache"
  rootfs="$work/rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
  rm -rf "$rootfs"
fi
echo "making the base image $base..."
container=$("${buildah[@]}" from scratch)
"${buildah[@]}" add "$container" "$tarball" / > /dev/null
"${buildah[@]}" commit -q "$container" "$base" > /dev/null
"${buildah[@]}" rm "$container" > /dev/null

echo "building $image from samples/$sample/Containerfile..."
"${buildah[@]}" bud --quiet --isolation chroot --build-arg "BASE=$base" \
  -f "$root/samples/$sample/Containerfile" -t "$image" "$work/publish" > /dev/null
echo "image $image: $("${buildah[@]}" images --format '{{.Size}}' "$image") (base $("${buildah[@]}" images --format '{{.Size}}' "$base"))"
