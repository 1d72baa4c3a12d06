# Podman as Hangar's container engine: the Debian packages it needs and the containers.conf that Hangar's scripts
# (bin/test, images/instance/build.sh) and test fixtures (dev.hangar.testkit.container.PodmanEngine runs
# hangar_write_containers_conf) hand it through CONTAINERS_CONF.
# shellcheck shell=bash

# podman and the OCI runtime it is configured for (runc), the init behind --init / HostConfig.Init (catatonit), the
# network stack of the default bridge with published ports (netavark, aardvark-dns, iptables), and mmdebstrap, which
# builds the instance image (images/instance/build.sh) without a registry; curl asks a service whether it answers.
HANGAR_CONTAINER_PACKAGES=(podman runc catatonit netavark aardvark-dns iptables mmdebstrap curl)

# Prints a containers.conf that works on a plain Debian host and on one like Hangar's CI machine, where root lacks
# CAP_SYS_RESOURCE (so no container rlimit may exceed this shell's hard limits), crun refuses hybrid cgroups, and
# there is no systemd. Only the file named by CONTAINERS_CONF is read when that variable is set.
hangar_containers_conf() {
  local nofile nproc pid_max
  nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)
  [ "$nofile" = unlimited ] && nofile=1048576
  [ "$nproc" = unlimited ] && nproc=$pid_max
  [ "$nofile" -gt 65536 ] && nofile=65536
  [ "$nproc" -gt "$pid_max" ] && nproc=$pid_max
  [ "$nproc" -gt 65536 ] && nproc=65536
  cat <<EOF
# Written by Hangar (bin/lib/containers.sh). Read by podman only through CONTAINERS_CONF.
[containers]
# Per-container ulimits replace these rather than add to them: set nofile AND nproc together, never above these.
default_ulimits = [
  "nofile=$nofile:$nofile",
  "nproc=$nproc:$nproc",
]

[network]
# Not CNI: Debian ships a CNI config (/etc/cni/net.d) whose plugins are not installed.
network_backend = "netavark"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
# An exec's conmon stays this long after the exec ended, for its exit code (Docker keeps it 5 minutes). Hangar reads
# the exit code as soon as the exec ends, so 5 minutes of idle conmons after every terminal or SSH session is waste.
exit_command_delay = 10
EOF
}

# Writes hangar_containers_conf to the file named, by default ~/.cache/hangar/containers.conf, replacing it atomically
# when it changed, and prints its path. The file stays: conmon runs `podman container cleanup` with the same
# CONTAINERS_CONF when a container exits, however long after the command or service that started it has ended.
hangar_write_containers_conf() {
  local file=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/hangar/containers.conf} content
  content=$(hangar_containers_conf)
  mkdir -p "$(dirname "$file")"
  if [ ! -f "$file" ] || [ "$(cat "$file")" != "$content" ]; then
    printf '%s\n' "$content" > "$file.$$" && mv -f "$file.$$" "$file"
  fi
  echo "$file"
}

# Makes sure a Podman service answers the Docker Engine API on the unix socket named ($1), starting one in the
# background (in a session of its own, so it outlives the script and Hangar's restarts) when none answers. Its log is
# beside the socket. Returns non-zero, saying why, when it does not answer within 10 s.
hangar_podman_service() {
  local socket=$1 log
  log="$(dirname "$socket")/podman-service.log"
  mkdir -p "$(dirname "$socket")"
  if curl -sf --unix-socket "$socket" http://podman/_ping >/dev/null 2>&1; then
    return 0
  fi
  rm -f "$socket"
  CONTAINERS_CONF=$(hangar_write_containers_conf) setsid podman system service --time=0 "unix://$socket" \
    </dev/null >>"$log" 2>&1 &
  for _ in $(seq 100); do
    curl -sf --unix-socket "$socket" http://podman/_ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "ERROR: Podman's service did not answer on $socket within 10 s; see $log" >&2
  return 1
}
