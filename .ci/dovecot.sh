#!/usr/bin/env bash
# A real IMAP server for the sync-mail tests: Dovecot from Debian's packages, run rootless as
# the package's own "dovecot" user with its own configuration in a temporary folder (the
# system's /etc/dovecot is never read), on 127.0.0.1 only, STARTTLS with a self-signed
# certificate made here, one test user in a passwd-file, Maildir in the same folder.
#
#   eval "$(bash .ci/dovecot.sh start)"   # prints the exports below
#   bash .ci/dovecot.sh stop              # reads RECRUITER_DESK_DOVECOT_DIR
#
# RECRUITER_DESK_TEST_IMAP=host:port:user:password_file:ca_file (tests/imap_server.py reads
# it; the password is in a file, never on a command line). Logs: $DIR/dovecot.log.
set -euo pipefail

PORT="${RECRUITER_DESK_DOVECOT_PORT:-11143}"
USER_NAME=rita
RUN_AS=dovecot

install_if_missing() {
    if [ -x /usr/sbin/dovecot ] && [ -e /usr/lib/dovecot/imap ] && id "$RUN_AS" >/dev/null 2>&1; then
        return
    fi
    echo "dovecot.sh: installing dovecot-imapd from Debian's packages" >&2
    {
        timeout 300 apt-get update -q &&
            DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q --no-install-recommends \
                dovecot-imapd openssl
    } >&2
}

start() {
    install_if_missing
    local dir
    dir="$(mktemp -d /tmp/recruiter-desk-dovecot.XXXXXX)"
    mkdir -p "$dir/run" "$dir/state" "$dir/mail"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
    # A fresh password per start, so nothing outside this run can log in with a known one.
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    local uid gid
    uid="$(id -u "$RUN_AS")"
    gid="$(id -g "$RUN_AS")"
    printf '%s:{PLAIN}%s:%s:%s::%s/mail/%s::\n' \
        "$USER_NAME" "$(cat "$dir/password")" "$uid" "$gid" "$dir" "$USER_NAME" >"$dir/users"
    cat >"$dir/dovecot.conf" <<EOF
# Written by .ci/dovecot.sh for the tests; nothing here is read from /etc/dovecot.
base_dir = $dir/run
state_dir = $dir/state
instance_name = recruiter-desk-test
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = $RUN_AS
default_internal_group = $RUN_AS
default_login_user = $RUN_AS
# The package's system user has a low uid; it is the only one mail runs as here.
first_valid_uid = $uid
last_valid_uid = $uid
ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/users
}
userdb {
  driver = passwd-file
  args = $dir/users
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  # Named like Outlook's, so "Sent" is found by its SPECIAL-USE flag, as on real servers.
  mailbox "Sent Items" {
    auto = create
    special_use = \\Sent
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0660
  }
}
EOF
    chown -R "$RUN_AS:$RUN_AS" "$dir"
    chmod 700 "$dir"
    runuser -u "$RUN_AS" -- /usr/sbin/dovecot -c "$dir/dovecot.conf"
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            echo "dovecot.sh: Dovecot listening on 127.0.0.1:$PORT (log $dir/dovecot.log)" >&2
            echo "export RECRUITER_DESK_DOVECOT_DIR='$dir'"
            echo "export RECRUITER_DESK_TEST_IMAP='127.0.0.1:$PORT:$USER_NAME:$dir/password:$dir/cert.pem'"
            return 0
        fi
        sleep 0.1
    done
    echo "dovecot.sh: Dovecot did not start; its log:" >&2
    cat "$dir/dovecot.log" >&2 || true
    return 1
}

stop() {
    local dir="${RECRUITER_DESK_DOVECOT_DIR:-}"
    if [ -z "$dir" ] || [ ! -d "$dir" ]; then
        return 0
    fi
    if [ -f "$dir/run/master.pid" ]; then
        local pid
        pid="$(cat "$dir/run/master.pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
