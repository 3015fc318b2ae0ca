#!/usr/bin/env bash
# Makes the container base image the Dockerfile's runtime stage is built on in CI: Debian bookworm with
# OpenJDK 17 (JRE, headless) and curl, from the Debian package mirrors, because public container registries
# are not reachable from CI. Cached twice: in podman's image store (the image itself), and as a tarball under
# LAKESTREAM_CI_CACHE (default ~/.cache/lakestream), so that a wiped image store does not debootstrap again.
set -euo pipefail

IMAGE=${BASE_IMAGE:-localhost/debian-jre:17}
CACHE=${LAKESTREAM_CI_CACHE:-$HOME/.cache/lakestream}
TARBALL=$CACHE/debian-bookworm-jre17-rootfs.tar
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless,curl

if podman image exists "$IMAGE"; then
  echo "base image $IMAGE: present"
  exit 0
fi
mkdir -p "$CACHE"
if [ ! -s "$TARBALL" ]; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  echo "base image $IMAGE: debootstrap $SUITE with $PACKAGES (a few minutes, once)"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" > "$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  # Package lists and caches are not needed at run time; dropping them keeps the image small.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
         "$root"/usr/share/man/* "$root"/usr/share/locale/*
  tar -C "$root" -cf "$TARBALL.partial" .
  mv "$TARBALL.partial" "$TARBALL"
fi
echo "base image $IMAGE: importing $TARBALL"
podman import "$TARBALL" "$IMAGE" > /dev/null
podman image exists "$IMAGE"
