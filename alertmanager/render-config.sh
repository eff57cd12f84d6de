#!/bin/sh
# Renders the Alertmanager config from alertmanager.yml.tmpl and the environment, to stdout:
#
#   sh alertmanager/render-config.sh > /etc/alertmanager/alertmanager.yml
#   sh alertmanager/render-config.sh path/to/template.tmpl > out.yml
#
# POSIX sh + sed only (runs in the busybox-based prom/alertmanager image). Variables:
#
#   ALERTMANAGER_WEBHOOK_URL          webhook receiver (default http://webhook:8080/alerts)
#   ALERTMANAGER_GROUP_WAIT           default 30s
#   ALERTMANAGER_GROUP_INTERVAL       default 5m
#   ALERTMANAGER_REPEAT_INTERVAL_CRITICAL  repeat of a still-firing page, default 12h
#   ALERTMANAGER_REPEAT_INTERVAL_WARNING   default 24h
#   ALERTMANAGER_REPEAT_INTERVAL_INFO      default 7d
#   ALERTMANAGER_HEARTBEAT_URL        dead man's switch URL for LLMWatchdog (every minute);
#                                     unset: the Watchdog is dropped
#   Slack (enabled when a URL or URL file is set; gets critical and warning alerts):
#   ALERTMANAGER_SLACK_API_URL        incoming-webhook URL (a secret: written to a file, see below)
#   ALERTMANAGER_SLACK_API_URL_FILE   or: a file holding it (Docker/Kubernetes secret)
#   ALERTMANAGER_SLACK_CHANNEL        default #llm-cost-alerts
#   Email (enabled when ALERTMANAGER_SMTP_SMARTHOST is set; gets critical alerts):
#   ALERTMANAGER_SMTP_SMARTHOST       host:port
#   ALERTMANAGER_SMTP_FROM, ALERTMANAGER_EMAIL_TO   required with email
#   ALERTMANAGER_SMTP_REQUIRE_TLS     default true
#   ALERTMANAGER_SMTP_AUTH_USERNAME   enables SMTP auth
#   ALERTMANAGER_SMTP_AUTH_PASSWORD   a secret: written to a file, see below
#   ALERTMANAGER_SMTP_AUTH_PASSWORD_FILE  or: a file holding it
#   ALERTMANAGER_SECRETS_DIR          where secrets given as values are written, mode 600
#                                     (default /etc/alertmanager/secrets)
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
template=${1:-$here/alertmanager.yml.tmpl}

die() {
  echo "render-config.sh: $*" >&2
  exit 1
}

[ -r "$template" ] || die "cannot read template $template"

: "${ALERTMANAGER_WEBHOOK_URL:=http://webhook:8080/alerts}"
: "${ALERTMANAGER_GROUP_WAIT:=30s}"
: "${ALERTMANAGER_GROUP_INTERVAL:=5m}"
: "${ALERTMANAGER_REPEAT_INTERVAL_CRITICAL:=12h}"
: "${ALERTMANAGER_REPEAT_INTERVAL_WARNING:=24h}"
: "${ALERTMANAGER_REPEAT_INTERVAL_INFO:=7d}"
: "${ALERTMANAGER_SLACK_CHANNEL:=#llm-cost-alerts}"
: "${ALERTMANAGER_SMTP_REQUIRE_TLS:=true}"
: "${ALERTMANAGER_SECRETS_DIR:=/etc/alertmanager/secrets}"

# A secret given as a value goes to a file only Alertmanager's user can read, never into the YAML.
secret_file() {
  value=$1
  name=$2
  mkdir -p "$ALERTMANAGER_SECRETS_DIR"
  (umask 077 && printf '%s' "$value" >"$ALERTMANAGER_SECRETS_DIR/$name")
  printf '%s' "$ALERTMANAGER_SECRETS_DIR/$name"
}

slack=false
if [ -n "${ALERTMANAGER_SLACK_API_URL:-}" ]; then
  ALERTMANAGER_SLACK_API_URL_FILE=$(secret_file "$ALERTMANAGER_SLACK_API_URL" slack-api-url)
fi
[ -n "${ALERTMANAGER_SLACK_API_URL_FILE:-}" ] && slack=true

email=false
smtp_auth=false
if [ -n "${ALERTMANAGER_SMTP_SMARTHOST:-}" ]; then
  email=true
  [ -n "${ALERTMANAGER_SMTP_FROM:-}" ] || die "ALERTMANAGER_SMTP_FROM is required with ALERTMANAGER_SMTP_SMARTHOST"
  [ -n "${ALERTMANAGER_EMAIL_TO:-}" ] || die "ALERTMANAGER_EMAIL_TO is required with ALERTMANAGER_SMTP_SMARTHOST"
  if [ -n "${ALERTMANAGER_SMTP_AUTH_USERNAME:-}" ]; then
    smtp_auth=true
    if [ -n "${ALERTMANAGER_SMTP_AUTH_PASSWORD:-}" ]; then
      ALERTMANAGER_SMTP_AUTH_PASSWORD_FILE=$(secret_file "$ALERTMANAGER_SMTP_AUTH_PASSWORD" smtp-auth-password)
    fi
    [ -n "${ALERTMANAGER_SMTP_AUTH_PASSWORD_FILE:-}" ] ||
      die "ALERTMANAGER_SMTP_AUTH_PASSWORD or ALERTMANAGER_SMTP_AUTH_PASSWORD_FILE is required with ALERTMANAGER_SMTP_AUTH_USERNAME"
  fi
fi

script=$(mktemp)
trap 'rm -f "$script"' EXIT

# Keep (drop the marker lines) or remove a `# name:begin` … `# name:end` block.
block() {
  if [ "$2" = true ]; then
    printf '/# %s:begin$/d\n/# %s:end$/d\n' "$1" "$1" >>"$script"
  else
    printf '/# %s:begin$/,/# %s:end$/d\n' "$1" "$1" >>"$script"
  fi
}
block slack "$slack"
block email "$email"
block smtp-auth "$smtp_auth"
heartbeat=false
[ -n "${ALERTMANAGER_HEARTBEAT_URL:-}" ] && heartbeat=true
block heartbeat "$heartbeat"
if [ "$heartbeat" = true ]; then block no-heartbeat false; else block no-heartbeat true; fi

# Values land inside YAML double quotes: escape \ and " for YAML, then \ & | for sed.
for name in ALERTMANAGER_WEBHOOK_URL ALERTMANAGER_GROUP_WAIT ALERTMANAGER_GROUP_INTERVAL \
  ALERTMANAGER_REPEAT_INTERVAL_CRITICAL ALERTMANAGER_REPEAT_INTERVAL_WARNING ALERTMANAGER_REPEAT_INTERVAL_INFO \
  ALERTMANAGER_HEARTBEAT_URL ALERTMANAGER_SLACK_API_URL_FILE ALERTMANAGER_SLACK_CHANNEL \
  ALERTMANAGER_EMAIL_TO ALERTMANAGER_SMTP_FROM ALERTMANAGER_SMTP_SMARTHOST ALERTMANAGER_SMTP_REQUIRE_TLS \
  ALERTMANAGER_SMTP_AUTH_USERNAME ALERTMANAGER_SMTP_AUTH_PASSWORD_FILE; do
  eval "value=\${$name:-}"
  case $value in *'
'*) die "$name must be a single line" ;;
  esac
  escaped=$(printf '%s' "$value" | sed -e 's/[\\"]/\\&/g' -e 's/[\\&|]/\\&/g')
  printf 's|\\${%s}|%s|g\n' "$name" "$escaped" >>"$script"
done

rendered=$(sed -f "$script" "$template")
left=$(printf '%s\n' "$rendered" | grep -n '\${' || true)
[ -z "$left" ] || die "unfilled placeholder(s) in $template: $left"
printf '%s\n' "$rendered"
