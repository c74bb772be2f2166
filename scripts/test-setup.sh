#!/usr/bin/env bash
# The machine `npm test` needs: the tools it runs and the local servers it talks to, with the access
# the tests use. Silent and quick when everything is there. As root on Debian it installs what is
# missing (apt-get), configures access, starts what is down (without systemd) and waits for it;
# otherwise, or if that fails, it stops with one message naming what is missing or down.
#
# Access the tests use (all on 127.0.0.1):
#   PostgreSQL :5432  user postgres, trust for host connections, database test
#   MariaDB    :3306  root with an empty password over TCP
#   Redis      :6379  no auth
#   memcached  :11211
#   RabbitMQ   :5672  guest/guest
set -uo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
SELF=$(realpath "$0")
WAIT_S=${TEST_SETUP_TIMEOUT_S:-90}
LOG=/tmp/test-setup.log

# A command the tests or the probes below run, and the Debian package that has it.
TOOLS=(
  prometheus:prometheus promtool:prometheus chromium:chromium docker-compose:docker-compose go:golang-go
  pg_isready:postgresql-client psql:postgresql-client redis-cli:redis-tools mariadb-admin:mariadb-client
  openssl:openssl ip:iproute2
)
SERVICES=(postgresql mariadb redis memcached rabbitmq)

declare -A LABEL=(
  [postgresql]='PostgreSQL on 127.0.0.1:5432 (user postgres, trust, database test)'
  [mariadb]='MariaDB on 127.0.0.1:3306 (root, empty password)'
  [redis]='Redis on 127.0.0.1:6379'
  [memcached]='memcached on 127.0.0.1:11211'
  [rabbitmq]='RabbitMQ on 127.0.0.1:5672 (guest/guest)'
)
declare -A PACKAGE=([postgresql]=postgresql [mariadb]=mariadb-server [redis]=redis-server [memcached]=memcached [rabbitmq]=rabbitmq-server)
declare -A CLIENT=([postgresql]=psql [mariadb]=mariadb-admin [redis]=redis-cli)

# --- probes: "up" answers the protocol; "ok" also logs in the way the tests do ---------------------

tcp_memcached() {
  timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "version\r\n" >&3 && IFS= read -r l <&3 && [[ $l == VERSION* ]]' 2>/dev/null
}

# AMQP 0-9-1 by hand, as no AMQP client is on a fresh machine: protocol header, read Connection.Start,
# send Connection.Start-Ok with PLAIN guest/guest; a Connection.Tune back means the login worked.
amqp() {
  timeout 5 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/5672 || exit 1
    printf "AMQP\x00\x00\x09\x01" >&3
    set -- $(head -c 7 <&3 | od -An -tu1)
    [ "$#" = 7 ] && [ "$1" = 1 ] || exit 1
    head -c $(( ($4 << 24) + ($5 << 16) + ($6 << 8) + $7 + 1 )) <&3 >/dev/null
    [ "$0" = up ] && exit 0
    printf "\x01\x00\x00\x00\x00\x00\x24\x00\x0a\x00\x0b\x00\x00\x00\x00\x05PLAIN\x00\x00\x00\x0c\x00guest\x00guest\x05en_US\xce" >&3
    set -- $(head -c 11 <&3 | od -An -tu1)
    [ "$1 $8 $9 ${10} ${11}" = "1 0 10 0 30" ]
  ' "$1" 2>/dev/null
}

up() {
  case $1 in
    postgresql) pg_isready -q -h 127.0.0.1 -p 5432 -t 3 ;;
    mariadb) mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P 3306 --connect-timeout=3 ping >/dev/null 2>&1 ;;
    redis) [ "$(timeout 3 redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ] ;;
    memcached) tcp_memcached ;;
    rabbitmq) amqp up ;;
  esac
}

ok() {
  case $1 in
    postgresql) [ "$(PGCONNECT_TIMEOUT=3 PGPASSWORD='' psql -X -w -h 127.0.0.1 -p 5432 -U postgres -d test -Atqc 'select 1' 2>/dev/null)" = 1 ] ;;
    mariadb) mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -P 3306 -uroot --password= --connect-timeout=3 status >/dev/null 2>&1 ;;
    rabbitmq) amqp login ;;
    *) up "$1" ;;
  esac
}

installed() {
  case $1 in
    postgresql) compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && command -v pg_ctlcluster >/dev/null ;;
    mariadb) [ -x /usr/sbin/mariadbd ] ;;
    redis) command -v redis-server >/dev/null ;;
    memcached) command -v memcached >/dev/null ;;
    rabbitmq) command -v rabbitmq-server >/dev/null ;;
  esac
}

# --- start and configure, as root, without systemd --------------------------------------------------

pg_cluster() { pg_lsclusters -h 2>/dev/null | awk '$3 == 5432 { print $1, $2; exit }'; }

start() {
  echo "--- start $1 $(date -Is)" >>"$LOG"
  case $1 in
    postgresql)
      if [ -z "$(pg_cluster)" ]; then
        pg_createcluster --port 5432 "$(ls /usr/lib/postgresql | sort -V | tail -1)" main >>"$LOG" 2>&1
      fi
      # shellcheck disable=SC2046 # version and cluster name, two words
      pg_ctlcluster --skip-systemctl-redirect $(pg_cluster) start >>"$LOG" 2>&1 ;;
    mariadb)
      install -d -o mysql -g mysql /run/mysqld
      start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql >>"$LOG" 2>&1 ;;
    redis)
      install -d /var/lib/redis /var/log/redis
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >>"$LOG" 2>&1 ;;
    memcached)
      memcached -d -u memcache -l 127.0.0.1 -p 11211 >>"$LOG" 2>&1 ;;
    rabbitmq)
      rabbitmq-server -detached >>"$LOG" 2>&1 ;;
  esac
}

configure() {
  echo "--- configure $1 $(date -Is)" >>"$LOG"
  case $1 in
    postgresql)
      local cluster hba
      cluster=$(pg_cluster)
      hba="/etc/postgresql/${cluster/ //}/pg_hba.conf"
      if [ -f "$hba" ] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
        # First match wins in pg_hba.conf, so these go on top.
        sed -i '1i # scripts/test-setup.sh: the tests connect over TCP as postgres without a password\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
        # shellcheck disable=SC2086
        pg_ctlcluster --skip-systemctl-redirect $cluster reload >>"$LOG" 2>&1
        sleep 0.5
      fi
      PGPASSWORD='' psql -X -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'" 2>>"$LOG" | grep -q 1 ||
        PGPASSWORD='' psql -X -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -qc 'create database test' >>"$LOG" 2>&1 ;;
    mariadb)
      # Over the socket, as the system's root (unix_socket auth); root@localhost keeps that way in.
      mariadb -uroot >>"$LOG" 2>&1 <<-'SQL'
	ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
	CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '';
	CREATE USER IF NOT EXISTS root@'::1' IDENTIFIED BY '';
	GRANT ALL PRIVILEGES ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;
	GRANT ALL PRIVILEGES ON *.* TO root@'::1' WITH GRANT OPTION;
	CREATE DATABASE IF NOT EXISTS test;
	SQL
      ;;
    rabbitmq)
      { rabbitmqctl -q add_user guest guest || rabbitmqctl -q change_password guest guest
        rabbitmqctl -q set_user_tags guest administrator
        rabbitmqctl -q set_permissions -p / guest '.*' '.*' '.*'; } >>"$LOG" 2>&1 ;;
  esac
}

# --- what is wrong now ------------------------------------------------------------------------------

missing_tools=() missing_pkgs=() bad=()
survey() {
  missing_tools=() missing_pkgs=() bad=()
  local t
  for t in "${TOOLS[@]}"; do
    command -v "${t%%:*}" >/dev/null || { missing_tools+=("${t%%:*}"); missing_pkgs+=("${t#*:}"); }
  done
  for t in "${SERVICES[@]}"; do
    ok "$t" && continue
    bad+=("$t")
    installed "$t" || missing_pkgs+=("${PACKAGE[$t]}")
  done
}

report() {
  local s msg="npm test cannot run on this machine:"
  [ ${#missing_tools[@]} -gt 0 ] && msg+=$'\n'"  missing commands: ${missing_tools[*]}"
  for s in "${bad[@]}"; do
    if [ -n "${CLIENT[$s]:-}" ] && ! command -v "${CLIENT[$s]}" >/dev/null; then
      msg+=$'\n'"  not checked: ${LABEL[$s]} (its client ${CLIENT[$s]} is missing)"
    elif installed "$s"; then
      if up "$s"; then msg+=$'\n'"  wrong access: ${LABEL[$s]}"; else msg+=$'\n'"  down: ${LABEL[$s]}"; fi
    else
      msg+=$'\n'"  not installed: ${LABEL[$s]} (Debian package ${PACKAGE[$s]})"
    fi
  done
  [ ${#missing_pkgs[@]} -gt 0 ] && msg+=$'\n'"  Debian packages to install: $(printf '%s\n' "${missing_pkgs[@]}" | sort -u | paste -sd ' ')"
  if [ "$(id -u)" = 0 ]; then
    msg+=$'\n'"This script ran as root and could not fix it; its log: $LOG"
  else
    msg+=$'\n'"Run as root, once: sudo bash $SELF"$'\n'"(it installs with apt-get, configures the access above and starts the servers)"
  fi
  echo "$msg" >&2
}

survey
[ ${#missing_tools[@]} -eq 0 ] && [ ${#bad[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then report; exit 1; fi

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  mapfile -t pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)
  echo "test-setup: installing ${pkgs[*]} (apt-get; log $LOG)" >&2
  { apt-get update -qq -o DPkg::Lock::Timeout=600 || echo 'apt-get update failed; installing from the lists at hand'
    apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${pkgs[@]}"; } >>"$LOG" 2>&1
  survey
fi

if [ ${#bad[@]} -gt 0 ]; then
  down=()
  for s in "${bad[@]}"; do installed "$s" && ! up "$s" && down+=("$s"); done
  if [ ${#down[@]} -gt 0 ]; then
    echo "test-setup: starting ${down[*]} (waiting up to ${WAIT_S} s)" >&2
    for s in "${down[@]}"; do start "$s"; done
    deadline=$((SECONDS + WAIT_S))
    for s in "${down[@]}"; do
      until up "$s" || [ $SECONDS -ge $deadline ]; do sleep 0.5; done
    done
  fi
  for s in "${bad[@]}"; do up "$s" && ! ok "$s" && configure "$s"; done
  survey
fi

[ ${#missing_tools[@]} -eq 0 ] && [ ${#bad[@]} -eq 0 ] && exit 0
report
exit 1
