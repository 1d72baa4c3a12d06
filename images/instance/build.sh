#!/usr/bin/env bash
# Builds Hangar's compute instance image from Debian's packages with mmdebstrap and imports it into the local engine:
# no registry and no base image are needed. The tag is a hash of the recipe (this script, `packages`, `packages-r`,
# `setup.sh` and `rootfs/`), so a run is a no-op when the image of the current recipe exists. The image is also tagged
# `latest`.
#
# Usage: images/instance/build.sh [--with-r] [--print-ref] [--rebuild]
#   --with-r     add R and its Jupyter kernel (the packages in `packages-r`); tags end in -r: <hash>-r, latest-r
#   --print-ref  print the image reference of the current recipe and exit; build and check nothing
#   --rebuild    build even when the image exists (to take in Debian's latest updates)
#
# The engine is $HANGAR_CONTAINER_ENGINE (podman or docker); by default podman when it is installed, else docker.
# Progress goes to stderr; the last line on stdout is the image reference, e.g. localhost/hangar-instance:0123abcd4567.
set -euo pipefail

recipe=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly recipe
readonly repository=localhost/hangar-instance
readonly suite=bookworm
readonly mirror=http://deb.debian.org/debian
readonly security_mirror=http://deb.debian.org/debian-security

# The first 12 hex digits of a SHA-256 over each recipe file's path, executable bit and content. README.md and the
# Dockerfile are not part of what this script builds.
recipe_hash() {
  (
    cd "$recipe"
    find . -type f ! -path ./README.md ! -path ./Dockerfile -print0 | LC_ALL=C sort -z |
      while IFS= read -r -d '' file; do
        printf '%s %s %s\n' "$file" "$([ -x "$file" ] && echo x || echo -)" "$(sha256sum < "$file" | cut -c1-64)"
      done
  ) | sha256sum | cut -c1-12
}

engine() {
  if [ -n "${HANGAR_CONTAINER_ENGINE:-}" ]; then
    echo "$HANGAR_CONTAINER_ENGINE"
  elif command -v podman >/dev/null; then
    echo podman
  elif command -v docker >/dev/null; then
    echo docker
  else
    echo "ERROR: neither podman nor docker is installed. Install Podman with:" >&2
    echo "  apt-get install -y --no-install-recommends podman runc catatonit netavark aardvark-dns iptables" >&2
    return 1
  fi
}

image_exists() {
  "$1" image inspect --format '{{.Id}}' "$2" >/dev/null 2>&1
}

# The packages to install, comma-separated: `packages`, and `packages-r` when R is asked for.
packages() {
  local lists=("$recipe/packages")
  [ -z "$with_r" ] || lists+=("$recipe/packages-r")
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "${lists[@]}" | paste -sd, -
}

# A root filesystem tar on stdout: minbase, no recommends, no docs, man pages or translations (as Debian's slim images).
bootstrap() {
  local speedup=()
  # dpkg without fsync (mmdebstrap's own eatmydata hooks, which leave nothing behind in the image).
  if [ -d /usr/share/mmdebstrap/hooks/eatmydata ] && command -v dpkg-architecture >/dev/null; then
    speedup=(--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata)
  fi
  # Hooks run with this environment; a path in it survives spaces that a hook's command line would not. rootfs/ goes
  # in owned by root, without changing the directories that exist already.
  local copy_rootfs='tar -C "$HANGAR_IMAGE_RECIPE/rootfs" --owner=0 --group=0 -cf - . |
    tar -C "$1" --no-overwrite-dir -xf -'
  HANGAR_IMAGE_RECIPE=$recipe mmdebstrap --variant=minbase --format=tar --include="$(packages)" "${speedup[@]}" \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook="$copy_rootfs" \
    --customize-hook='chroot "$1" /bin/sh -s < "$HANGAR_IMAGE_RECIPE/setup.sh"' \
    "$suite" - \
    "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security_mirror $suite-security main"
}

build() {
  local engine=$1 reference=$2 staging="$repository:building-$$"
  if ! command -v mmdebstrap >/dev/null; then
    echo "ERROR: mmdebstrap is not installed. Install it with:" >&2
    echo "  apt-get install -y --no-install-recommends mmdebstrap" >&2
    return 1
  fi
  echo "Building $reference with mmdebstrap (2 to 3 minutes)..." >&2
  local started=$SECONDS previous
  previous=$("$engine" image inspect --format '{{.Id}}' "$reference" 2>/dev/null || true)
  # Imported under a staging tag first: a bootstrap that fails half-way must never leave an image under the real tag.
  # PYDEVD_DISABLE_FILE_VALIDATION silences the debugger warning ipykernel prints at each kernel start on Python 3.11.
  if ! bootstrap | "$engine" import \
      --change 'ENV LANG=C.UTF-8' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV JUPYTER_PATH=/opt/hangar/envs/share/jupyter' \
      --change 'ENV PYDEVD_DISABLE_FILE_VALIDATION=1' \
      --change 'EXPOSE 8888' \
      --change 'LABEL dev.hangar.image=instance' \
      --change "LABEL dev.hangar.recipe=${reference##*:}" \
      --change 'ENTRYPOINT ["/usr/local/bin/hangar-instance"]' \
      - "$staging" >/dev/null; then
    "$engine" rmi "$staging" >/dev/null 2>&1 || true
    echo "ERROR: building $reference failed (see above)." >&2
    return 1
  fi
  "$engine" tag "$staging" "$reference"
  "$engine" tag "$staging" "$repository:latest$variant"
  "$engine" rmi "$staging" >/dev/null
  # What --rebuild replaced, unless it still has another tag or a container.
  [ -z "$previous" ] || "$engine" rmi "$previous" >/dev/null 2>&1 || true
  echo "Built $reference in $((SECONDS - started)) s." >&2
}

with_r=""
variant=""

main() {
  local print_only="" rebuild="" argument
  for argument in "$@"; do
    case $argument in
      --with-r) with_r=1; variant=-r ;;
      --print-ref) print_only=1 ;;
      --rebuild) rebuild=1 ;;
      -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
      *) echo "ERROR: unknown option '$argument'; see --help." >&2; return 2 ;;
    esac
  done
  local reference
  reference="$repository:$(recipe_hash)$variant"
  if [ -n "$print_only" ]; then
    echo "$reference"
    return 0
  fi
  local engine
  engine=$(engine)
  if [ -z "$rebuild" ] && image_exists "$engine" "$reference"; then
    echo "The image $reference exists already ($engine)." >&2
  else
    build "$engine" "$reference"
  fi
  echo "$reference"
}

main "$@"
