# Sourced by the ci/ scripts: runs package installs and daemons as root on a Debian machine.
# As root, commands run directly; otherwise through sudo when it is installed and allowed;
# otherwise the script stops and says what to run as root.

# as_root CMD...: runs CMD as root, or explains why it cannot.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    echo "${0##*/}: needs root to run: $* (run as root, or allow this user sudo without a password)" >&2
    return 1
  fi
}

# apt_install PKG...: installs Debian packages without starting their services (the tests start
# their own servers), without recommends unless APT_RECOMMENDS=1; runs `apt-get update` first
# only when the install fails, so a warm machine needs no network.
apt_install() {
  local policy=/usr/sbin/policy-rc.d created=false rc=0 rec=--no-install-recommends
  [ "${APT_RECOMMENDS:-0}" = 1 ] && rec=--install-recommends
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 0755 $policy" && created=true
  fi
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $rec "$@" >/dev/null 2>&1; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || rc=$?
    [ $rc -eq 0 ] && { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $rec "$@" >/dev/null || rc=$?; }
  fi
  if $created; then as_root rm -f "$policy"; fi
  return $rc
}
